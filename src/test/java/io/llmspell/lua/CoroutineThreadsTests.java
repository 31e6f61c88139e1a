package io.llmspell.lua;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.LlmProviders;
import io.llmspell.llm.mock.MockProperties;
import io.llmspell.llm.mock.MockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coroutines on {@link Coroutine}'s own handoff: Lua's semantics, the service-wide bound
 * on coroutine threads (a {@code limit}, never {@code internal}), and every thread given
 * back when a run ends.
 */
class CoroutineThreadsTests {

	private final LlmProvider mock = new MockProvider(
			new MockProperties(java.time.Duration.ofMillis(50), "mock-echo-1", 2));

	private RunOutcome run(String source, CoroutineThreads threads) {
		LuaRun run = new LuaRun(LuaRunFixture.spell("co", source, Map.of()), Map.of(), "run-co", LuaRunFixture.LIMITS,
				new LlmProviders(List.of(mock), LlmProperties.defaults()), mock, mock.defaultModel(), (event, data) -> {
				}, threads);
		return run.execute();
	}

	@Test
	void coroutinesKeepLuaSemantics() {
		RunOutcome outcome = run("""
				local r = {}
				local co = coroutine.create(function(a, b)
				  local c = coroutine.yield(a + b)
				  local ok, e = pcall(function() local d = coroutine.yield(c * 2) error({ code = d }) end)
				  return e.code, coroutine.status(coroutine.running())
				end)
				r[1] = { coroutine.resume(co, 1, 2) }
				r[2] = coroutine.status(co)
				r[3] = { coroutine.resume(co, 5) }
				r[4] = { coroutine.resume(co, 42) }
				r[5] = coroutine.status(co)
				r[6] = { coroutine.resume(co) }
				local ok, e = coroutine.resume(coroutine.create(function() error({ code = 9 }) end))
				r[7] = { ok, e.code }
				r[8] = select(2, pcall(coroutine.yield, 1)):find('outside a coroutine') ~= nil
				local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
				r[9] = { gen(), gen(), gen() }
				local outer
				outer = coroutine.create(function()
				  local inner = coroutine.create(function() return coroutine.status(outer) end)
				  return select(2, coroutine.resume(inner))
				end)
				r[10] = { coroutine.resume(outer) }
				r[11] = { pcall(coroutine.wrap(function() error('boom', 0) end)) }
				return r
				""", new CoroutineThreads(0, 100));
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat(outcome.result())
			.isEqualTo(List.of(List.of(true, 3L), "suspended", List.of(true, 10L), List.of(true, 42L, "running"),
					"dead", List.of(false, "cannot resume dead coroutine"), List.of(false, 9L), true,
					List.of(1L, 2L, 3L), List.of(true, "normal"), List.of(false, "main.lua:24: boom")));
	}

	@Test
	void aRunPastTheServiceWideBoundEndsWithALimit() {
		CoroutineThreads threads = new CoroutineThreads(10, 10);
		RunOutcome outcome = run("""
				for i = 1, 20 do
				  local co = coroutine.create(function() coroutine.yield() end)
				  pcall(coroutine.resume, co)
				end
				""", threads);
		assertThat(outcome.status()).isEqualTo("limit");
		assertThat(outcome.error().kind()).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(CoroutineThreads.LIMIT);
		assertThat(outcome.error().message())
			.isEqualTo("limit max-coroutine-threads exceeded: the service has 10 coroutine threads alive (its limit)");
		assertThat(threads.live()).isZero();
	}

	@Test
	void aThreadTheJvmCannotStartIsALimitNotAnInternalError() {
		ThreadFactory exhausted = (task) -> {
			throw new OutOfMemoryError(
					"unable to create native thread: possibly out of memory or process/resource " + "limits reached");
		};
		CoroutineThreads threads = new CoroutineThreads(100, 100, exhausted);
		RunOutcome outcome = run("return coroutine.wrap(function() return 1 end)()", threads);
		assertThat(outcome.status()).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(CoroutineThreads.LIMIT);
		assertThat(outcome.error().message()).contains("cannot start another thread (unable to create native thread");
		assertThat(threads.live()).isZero();
	}

	@Test
	void suspendedCoroutinesEndWithTheirRun() {
		CoroutineThreads threads = new CoroutineThreads(0, 1000);
		RunOutcome outcome = run(
				"""
						for i = 1, 50 do
						  local co = coroutine.create(function()
						    pcall(function() while true do coroutine.yield(i) end end)
						    print('never')
						  end)
						  coroutine.resume(co)
						end
						local gen = coroutine.wrap(function() table.sort({ 3, 2, 1 }, function(a, b) coroutine.yield() return a < b end) end)
						gen()
						return threads
						""",
				threads);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		// the run's end kills them before execute() returns
		assertThat(threads.live()).isZero();
	}

	@Test
	void aCancelledRunGivesItsCoroutineThreadsBack() throws Exception {
		CoroutineThreads threads = new CoroutineThreads(0, 1000);
		LuaRun run = new LuaRun(LuaRunFixture.spell("co", """
				for i = 1, 30 do
				  local co = coroutine.wrap(function() while true do coroutine.yield() end end)
				  co()
				end
				print('ready')
				sleep(30)
				""", Map.of()), Map.of(), "run-co", LuaRunFixture.LIMITS,
				new LlmProviders(List.of(mock), LlmProperties.defaults()), mock, mock.defaultModel(), (event, data) -> {
				}, threads);
		java.util.concurrent.CompletableFuture<RunOutcome> outcome = java.util.concurrent.CompletableFuture
			.supplyAsync(run::execute);
		org.awaitility.Awaitility.await().until(() -> threads.live() == 30);
		run.cancel("client disconnected");
		assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo("cancelled");
		assertThat(threads.live()).isZero();
	}

}
