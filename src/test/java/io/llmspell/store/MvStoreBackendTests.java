package io.llmspell.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MvStoreBackendTests extends StorageBackendContract {

	@TempDir
	Path dir;

	private final List<MvStoreBackend> opened = new ArrayList<>();

	@Override
	MvStoreBackend backend(StoreQuota quota) {
		MvStoreBackend backend = new MvStoreBackend(this.dir, quota);
		this.opened.add(backend);
		return backend;
	}

	@AfterEach
	void close() {
		this.opened.forEach(MvStoreBackend::close);
	}

	@Test
	void whatIsWrittenSurvivesReopening() {
		MvStoreBackend first = new MvStoreBackend(this.dir, ROOMY);
		first.set("a", "k", "1", null).block();
		first.write("a", "notes", "text").block();
		first.close();
		MvStoreBackend second = backend(ROOMY);
		assertThat(second.get("a", "k").block()).isEqualTo("1");
		assertThat(second.read("a", "notes").block()).isEqualTo("text");
		assertThat(second.usage("a").block()).isEqualTo(new StoreUsage(2, 2 + 9));
	}

}
