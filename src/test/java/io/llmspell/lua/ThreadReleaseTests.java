package io.llmspell.lua;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LuaJ starts a thread per coroutine; a run must give every one of them back when it
 * ends.
 */
class ThreadReleaseTests {

	private static final String SPELL = """
			local p = promise.new(function(resolve)
			  for i = 1, 3 do coroutine.yield() end
			  resolve(params.n)
			end)
			local abandoned = coroutine.create(function() coroutine.yield() print("never") end)
			coroutine.resume(abandoned)
			local wrapped = coroutine.wrap(function() while true do coroutine.yield() end end)
			wrapped()
			if params.n % 10 == 0 then
			  -- abandoned mid-way: its client goes away while it waits on a promise
			  promise.new(function() while true do coroutine.yield() end end):await()
			end
			return p:await()
			""";

	/**
	 * Cancels the run 30 ms after it starts, while it waits (as a disconnecting client
	 * would).
	 */
	private static void cancelLater(LuaRunFixture fixture) {
		fixture.onStart = (run) -> reactor.core.scheduler.Schedulers.parallel()
			.schedule(() -> run.cancel("client disconnected"), 30, TimeUnit.MILLISECONDS);
	}

	@Test
	void aThousandRunsWithPromisesAndCoroutinesGiveTheirThreadsBack() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		// start the pool's threads, and the shared schedulers' (timers, the mock's
		// delays), first
		pool.invokeAll(List.of(() -> new LuaRunFixture().run("llm.chat('warm-up') async.set_timeout(0.01, print)"),
				() -> 0, () -> 0, () -> 0));
		int before = ManagementFactory.getThreadMXBean().getThreadCount();
		List<Future<RunOutcome>> outcomes = new ArrayList<>();
		for (int n = 1; n <= 1000; n++) {
			int number = n;
			LuaRunFixture fixture = new LuaRunFixture();
			fixture.params.put("n", number);
			fixture.limits = new RunLimits(Duration.ofSeconds(20), 10_000_000, 64L << 20, 1 << 16, 100, 100, 10,
					1 << 20, 100);
			outcomes.add(pool.submit(() -> fixture.run(SPELL)));
			if (number % 10 == 0) {
				cancelLater(fixture);
			}
		}
		int ok = 0;
		int cancelled = 0;
		for (Future<RunOutcome> outcome : outcomes) {
			String status = outcome.get(60, TimeUnit.SECONDS).status();
			ok += status.equals("ok") ? 1 : 0;
			cancelled += status.equals("cancelled") ? 1 : 0;
		}
		pool.shutdown();
		assertThat(ok).isEqualTo(900);
		assertThat(cancelled).isEqualTo(100);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ManagementFactory.getThreadMXBean().getThreadCount())
				.isLessThanOrEqualTo(before + 3));
	}

}
