package io.llmspell.lua;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.llmspell.llm.ConcurrencyLimiter;
import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProviders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On Java 21+ a coroutine is a virtual thread: many runs holding many suspended
 * coroutines cost no platform thread each, and past the service-wide bound a run ends
 * with a {@code limit}. (Runs on Java 21+ only: the {@code virtual-thread-tests}
 * profile.)
 */
class VirtualCoroutinesTests {

	private static final int RUNS = 40;

	private static final int COROUTINES = 250;

	/** Each run suspends its coroutines, then waits on one LLM call the test answers. */
	private static final String SPELL = """
			local held = {}
			for i = 1, %d do
			  local co = coroutine.wrap(function() while true do coroutine.yield(i) end end)
			  co()
			  held[i] = co
			end
			return llm.chat('hold ' .. spell.run_id) .. ' ' .. held[%d]()
			""".formatted(COROUTINES, COROUTINES);

	private static final RunLimits LIMITS = new RunLimits(Duration.ofSeconds(120), 50_000_000, 256L << 20, 1 << 20,
			10_000, 1_000, COROUTINES, 16L << 20, 200);

	private final LlmSharingTests.GatedProvider provider = new LlmSharingTests.GatedProvider(
			new ConcurrencyLimiter("gated", 64, 1000));

	private final LlmProviders providers = new LlmProviders(List.of(provider), LlmProperties.defaults());

	private CompletableFuture<RunOutcome> start(String runId, String source, CoroutineThreads threads,
			ExecutorService runThreads) {
		LuaRun run = new LuaRun(LuaRunFixture.spell(runId, source, Map.of()), Map.of(), runId, LIMITS, providers,
				provider, "gated-1", (event, data) -> {
				}, threads);
		return CompletableFuture.supplyAsync(run::execute, runThreads);
	}

	@Test
	void manyRunsWithManyCoroutinesHoldFewPlatformThreads() throws Exception {
		assumeTrue(CoroutineThreads.virtual(), "virtual threads need Java 21+");
		CoroutineThreads threads = new CoroutineThreads(RUNS * COROUTINES, 0);
		ExecutorService runThreads = (ExecutorService) java.util.concurrent.Executors.class
			.getMethod("newVirtualThreadPerTaskExecutor")
			.invoke(null);
		try {
			// warm up: the virtual thread scheduler, the schedulers the limiter uses
			provider.openGate();
			assertThat(start("warm-up", "return coroutine.wrap(function() return llm.chat('w') end)()", threads,
					runThreads)
				.get(30, TimeUnit.SECONDS)
				.status()).isEqualTo("ok");
			provider.closeGate();
			int before = ManagementFactory.getThreadMXBean().getThreadCount();

			List<CompletableFuture<RunOutcome>> outcomes = new ArrayList<>();
			for (int i = 0; i < RUNS; i++) {
				outcomes.add(start("run-" + i, SPELL, threads, runThreads));
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> threads.live() == RUNS * COROUTINES);
			await().atMost(Duration.ofSeconds(30)).until(() -> provider.started.size() == RUNS);
			int during = ManagementFactory.getThreadMXBean().getThreadCount();
			// 10,000 suspended coroutines and 40 waiting runs: at most a carrier per core
			// more than before (LuaJ's own coroutines made 10,072 platform threads here)
			assertThat(during).isLessThanOrEqualTo(before + Runtime.getRuntime().availableProcessors() + 4);

			// the service is at its bound: one more coroutine ends its run with a limit
			RunOutcome refused = start("one-more", "return coroutine.wrap(function() return 1 end)()", threads,
					runThreads)
				.get(30, TimeUnit.SECONDS);
			assertThat(refused.status()).isEqualTo("limit");
			assertThat(refused.error().limit()).isEqualTo(CoroutineThreads.LIMIT);

			provider.openGate();
			for (int i = 0; i < RUNS; i++) {
				RunOutcome outcome = outcomes.get(i).get(60, TimeUnit.SECONDS);
				assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
				assertThat(outcome.result()).isEqualTo("answer to hold run-" + i + " " + COROUTINES);
			}
			assertThat(threads.live()).isZero();
		}
		finally {
			runThreads.shutdownNow();
		}
	}

}
