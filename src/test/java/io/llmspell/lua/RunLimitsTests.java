package io.llmspell.lua;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile spells end with a clear {@code limit} (or {@code timeout}) within their limit
 * plus a second, and nothing they do escapes as an OutOfMemoryError or a
 * StackOverflowError.
 */
class RunLimitsTests {

	/**
	 * A timeout far past what any case needs, so that on a busy machine no case meets its
	 * deadline before the limit it tests.
	 */
	private static final RunLimits TIGHT = new RunLimits(Duration.ofSeconds(30), 20_000_000, 64L << 20, 64 * 1024, 500,
			200, 50, 1L << 20, 150);

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"while true do end                                                              | max-instructions",
			"pcall(function() while true do end end)                                        | max-instructions",
			"xpcall(function() while true do end end, print)                                | max-instructions",
			"coroutine.wrap(function() while true do end end)()                             | max-instructions",
			"local co = coroutine.create(function() while true do end end) coroutine.resume(co) while true do end | max-instructions",
			"llm.chat_async('x', function() while true do end end) async.wait_all()         | max-instructions",
			"local function f() return 1 + f() end f()                                      | max-call-depth",
			"local function f() pcall(f) f() end f()                                        | max-call-depth",
			"local s = 'x' while true do s = s .. s end                                     | max-string-size",
			"local s = ('x'):rep(1000) local t = {} while true do t[#t+1] = s .. #t end       | max-memory",
			"local t, i = {}, 0 while true do i = i + 1 t[i] = { i } end                     | max-memory",
			"string.rep('x', 2^31)                                                          | max-string-size",
			"string.rep('x', 2^53)                                                          | max-string-size",
			"string.rep('ab', 1e308, ',')                                                   | max-string-size",
			"local s = ('x'):rep(900000) local t = {} for i = 1, 1e9 do t[i] = s:upper() end | max-memory",
			"local t = {} for i = 1, 1e6 do t[i] = 'x' end print(table.concat(t, ('y'):rep(100))) | max-string-size",
			"for i = 1, 1e9 do coroutine.wrap(function() coroutine.yield() end)() end        | max-coroutines",
			"for i = 1, 1e6 do llm.chat_async('x', function() end) end                       | max-pending",
			"while true do print(('spam '):rep(100)) end                                     | max-output-bytes",
			"while true do log.info('x') end                                                 | max-output-events" })
	void hostileSpellsHitTheirLimit(String code, String limit) {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = TIGHT;
		long start = System.nanoTime();
		RunOutcome outcome = fixture.run(code);
		long elapsedMs = (System.nanoTime() - start) / 1_000_000;
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("limit");
		assertThat(outcome.error().kind()).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(limit);
		assertThat(outcome.error().message()).contains(limit);
		assertThat(elapsedMs).isLessThan(TIGHT.timeout().toMillis() + 1000);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "sleep(1e9)", "local s = ('a'):rep(100000) string.find(s, '.-.-.-.-.-.-.-.-.-b')",
					"async.set_timeout(1e9, function() end)", "llm.chat('slow [delay=60000]')",
					"llm.chat_async('slow [delay=60000]', function() end) while true do llm.process_callbacks(10) end",
					"promise.new(function() while true do coroutine.yield() end end):await()" })
	void slowSpellsStopAtTheirDeadline(String code) {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = new RunLimits(Duration.ofMillis(500), Long.MAX_VALUE / 2, 1L << 30, 1 << 20, 1000, 100, 50,
				1L << 20, 150);
		long start = System.nanoTime();
		RunOutcome outcome = fixture.run(code);
		long elapsedMs = (System.nanoTime() - start) / 1_000_000;
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("timeout");
		assertThat(outcome.error().kind()).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo("timeout");
		assertThat(elapsedMs).isLessThan(500 + 1000);
	}

	@Test
	void aCancelledRunStopsWithinASecond() throws Exception {
		LuaRunFixture fixture = new LuaRunFixture();
		var result = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> fixture.run("print('started') while true do end"));
		// (cancel once it runs Lua: setting up the state is not what this measures)
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> fixture.output().contains("started"));
		long start = System.nanoTime();
		fixture.run.cancel("client disconnected");
		RunOutcome outcome = result.get(5, java.util.concurrent.TimeUnit.SECONDS);
		assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
		assertThat(outcome.status()).isEqualTo("cancelled");
		assertThat(outcome.error().kind()).isEqualTo("cancelled");
		assertThat(outcome.error().message()).isEqualTo("client disconnected");
	}

	@Test
	void runLimitsCanOnlyBeLowered() {
		RunLimits lowered = LuaRunFixture.LIMITS.lowerWith(java.util.Map.of("timeout", "2s", "max-instructions", 10,
				"maxMemory", "1GB", "max-string-size", "1KB"));
		assertThat(lowered.timeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(lowered.maxInstructions()).isEqualTo(10);
		assertThat(lowered.maxMemory()).isEqualTo(LuaRunFixture.LIMITS.maxMemory());
		assertThat(lowered.maxStringSize()).isEqualTo(1024);
		assertThat(LuaRunFixture.LIMITS.lowerWith(java.util.Map.of("timeout", 3600)).timeout())
			.isEqualTo(LuaRunFixture.LIMITS.timeout());
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> LuaRunFixture.LIMITS.lowerWith(java.util.Map.of("max-fun", 1)))
			.withMessageContaining("max-fun");
	}

}
