package io.llmspell.lua;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.llmspell.store.MvStoreBackend;
import io.llmspell.store.StoreQuota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code storage} module over the embedded store. */
class StorageModuleTests {

	@TempDir
	Path dir;

	private MvStoreBackend backend;

	@BeforeEach
	void open() {
		backend = new MvStoreBackend(dir, new StoreQuota(64, 200, 5, 2000));
	}

	@AfterEach
	void close() {
		backend.close();
	}

	private List<String> run(String spell, String source) {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.spellName = spell;
		fixture.backends = new ModuleBackends(null, backend);
		RunOutcome outcome = fixture.run(source);
		assertThat(outcome.status()).as("%s", outcome.error()).isEqualTo("ok");
		return fixture.output();
	}

	@Test
	void valuesComeBackAsTheyWentIn() {
		List<String> output = run("a", """
				print(storage.set('config', { name = 'x', n = 3, list = { 1, 2 }, on = true }))
				local c = storage.get('config')
				print(c.name, c.n, c.list[2], c.on)
				storage.set('count', 41)
				print(storage.get('count') + 1, storage.get('missing'))
				print(storage.exists('count'), storage.exists('missing'))
				storage.set('cfg:b', 'text')
				print(table.concat(storage.list('c'), ','), #storage.list())
				print(storage.delete('count'), storage.delete('count'), storage.get('count'))
				print(storage.write('notes', 'some text'), storage.read('notes'), storage.read('none'))
				storage.set('cfg:b', nil)
				print(storage.exists('cfg:b'))
				""");
		assertThat(output).containsExactly("true", "x\t3\t2\ttrue", "42\tnil", "true\tfalse", "cfg:b,config,count\t3",
				"true\tfalse\tnil", "true\tsome text\tnil", "false");
	}

	@Test
	void twoSpellsCannotReadEachOthersKeys() {
		run("a", "storage.set('secret', 'of a') storage.write('blob', 'of a')");
		assertThat(run("b", """
				print(storage.get('secret'), storage.exists('secret'), storage.read('blob'), #storage.list())
				storage.set('secret', 'of b')
				""")).containsExactly("nil\tfalse\tnil\t0");
		assertThat(run("a", "print(storage.get('secret'))")).containsExactly("of a");
	}

	@Test
	void quotasFailWithNilAndAnError() {
		List<String> output = run("a", """
				print(storage.set('big', string.rep('x', 300)))
				print(storage.write('big', string.rep('x', 300)))
				for i = 1, 5 do storage.set('k' .. i, i) end
				print(storage.set('k6', 6))
				print(storage.set('k1', 'replacing is fine'))
				print(storage.set(string.rep('k', 65), 1))
				print(#storage.list())
				""");
		assertThat(output).containsExactly("nil\tstorage: the value is 302 bytes, the limit is 200 bytes",
				"nil\tstorage: the value is 300 bytes, the limit is 200 bytes",
				"nil\tstorage: the spell holds 5 entries, the limit is 5", "true",
				"nil\tstorage: the key is 65 bytes, the limit is 64 bytes", "5");
	}

	@Test
	void aValueExpiresAfterItsTtl() {
		assertThat(run("a", "print(storage.set('short', 'soon gone', 1.5), storage.get('short'))"))
			.containsExactly("true\tsoon gone");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> run("a", "print(storage.get('short'), storage.exists('short'))")
				.equals(List.of("nil\tfalse")));
		assertThat(run("a", "print(pcall(storage.set, 'k', 1, -1))").get(0)).startsWith("false");
	}

	@Test
	void concurrentWritersFromManyRunsLoseNoWrite() throws Exception {
		backend.close();
		backend = new MvStoreBackend(dir, new StoreQuota(64, 200, 10_000, 1_000_000));
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<List<String>>> runs = new ArrayList<>();
			for (int r = 1; r <= 8; r++) {
				int runNumber = r;
				runs.add(pool.submit(() -> run("shared", """
						for i = 1, 25 do assert(storage.set('run%d:' .. i, i)) end
						print('ok')
						""".formatted(runNumber))));
			}
			for (Future<List<String>> future : runs) {
				assertThat(future.get()).containsExactly("ok");
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(run("shared", "print(#storage.list(), #storage.list('run3:'))")).containsExactly("200\t25");
	}

	@Test
	void withoutABackendEveryCallSaysSo() {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.run("print(storage.get('x'))");
		assertThat(fixture.output()).containsExactly("nil\tstorage: not available in this runtime");
	}

}
