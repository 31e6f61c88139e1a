package io.llmspell.store;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class StorageConfigurationTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(StorageConfiguration.class);

	@Test
	void whatASpellStoredSurvivesARestartOfTheService() {
		contexts.withPropertyValues("llmspell.storage.data-dir=" + dir).run((first) -> {
			StorageBackend store = first.getBean(StorageBackend.class);
			store.set("spell", "k", "\"kept\"", null).block();
			store.write("spell", "notes", "text").block();
		});
		contexts.withPropertyValues("llmspell.storage.data-dir=" + dir).run((second) -> {
			StorageBackend store = second.getBean(StorageBackend.class);
			assertThat(store.get("spell", "k").block()).isEqualTo("\"kept\"");
			assertThat(store.read("spell", "notes").block()).isEqualTo("text");
		});
	}

	@Test
	void quotasComeFromTheProperties() {
		contexts
			.withPropertyValues("llmspell.storage.data-dir=" + dir, "llmspell.storage.max-value-size=10B",
					"llmspell.storage.max-entries=3")
			.run((context) -> assertThat(context.getBean(StorageProperties.class).quota())
				.isEqualTo(new StoreQuota(256, 10, 3, 64L * 1024 * 1024)));
	}

	@Test
	void anotherBackendReplacesTheEmbeddedOne() {
		contexts.withPropertyValues("llmspell.storage.data-dir=" + dir, "llmspell.storage.backend=redis")
			.withBean("otherBackend", StorageBackend.class,
					() -> new MvStoreBackend(dir.resolve("other"), new StoreQuota(256, 1024, 10, 1024 * 1024)),
					(definition) -> definition.setDestroyMethodName("close"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(StorageBackend.class);
				assertThat(context).doesNotHaveBean("mvStoreBackend");
			});
	}

	@Test
	void redisWithoutTheClustersRedisStopsStartupSayingWhatToSet() {
		contexts.withPropertyValues("llmspell.storage.data-dir=" + dir, "llmspell.storage.backend=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				assertThat(failure).isInstanceOf(StorageBackendMissingException.class)
					.hasMessageContaining("llmspell.storage.backend is 'redis'")
					.hasMessageContaining("no Redis is configured");
				FailureAnalysis analysis = new StorageBackendMissingFailureAnalyzer().analyze(failure);
				assertThat(analysis.getAction()).contains("llmspell.cluster.redis-url")
					.contains("llmspell.storage.backend=file");
			});
	}

	@Test
	void anUnknownBackendStopsStartupNamingTheKnownOnes() {
		contexts.withPropertyValues("llmspell.storage.data-dir=" + dir, "llmspell.storage.backend=mongo")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(StorageBackendMissingException.class)
					.hasMessage("llmspell.storage.backend is 'mongo', which is no storage backend");
				assertThat(new StorageBackendMissingFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
					.isEqualTo("Set llmspell.storage.backend to file (the default) or redis.");
			});
	}

}
