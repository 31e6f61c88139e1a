package io.llmspell.lua;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a virtual thread the JVM cannot say how much a thread allocated; the run's memory
 * budget is then estimated from what the spell builds, and still ends hostile runs. (Runs
 * on Java 21+ only.)
 */
class VirtualThreadLimitsTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "local t, i = {}, 0 while true do i = i + 1 t[i] = { i, {} } end",
			"local s, t = ('x'):rep(100000), {} for i = 1, 1e9 do t[i] = s .. i end",
			"local t = {} for i = 1, 1e9 do t[i] = function() return i end end",
			"local t = {} for i = 1, 1e6 do t[i] = ('x'):rep(65535) end",
			"local s = '[' .. ('1,'):rep(5e5) .. '1]' local t = {} for i = 1, 1e3 do t[i] = json.decode(s) end" })
	void theMemoryBudgetHoldsOnVirtualThreads(String code) throws Exception {
		Executor virtualThreads = virtualThreads();
		assumeTrue(virtualThreads != null, "virtual threads need Java 21+");
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = new RunLimits(Duration.ofSeconds(20), Long.MAX_VALUE / 2, 32L << 20, 1 << 16, 100, 100, 10,
				1 << 20, 100);
		RunOutcome outcome = CompletableFuture.supplyAsync(() -> fixture.run(code), virtualThreads)
			.get(30, TimeUnit.SECONDS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(RunLimits.MEMORY);
	}

	@org.junit.jupiter.api.Test
	void aLongNumericLoopSucceedsOnAVirtualThread() throws Exception {
		Executor virtualThreads = virtualThreads();
		assumeTrue(virtualThreads != null, "virtual threads need Java 21+");
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = new RunLimits(Duration.ofSeconds(60), 200_000_000, 256L << 20, 1 << 20, 10_000, 1_000, 256,
				16L << 20, 200);
		RunOutcome outcome = CompletableFuture
			.supplyAsync(() -> fixture.run("local n = 0 for i = 1, 17000000 do n = i end return n"), virtualThreads)
			.get(90, TimeUnit.SECONDS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat(outcome.result()).isEqualTo(17_000_000L);
	}

	private static Executor virtualThreads() {
		try {
			return (Executor) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
				.invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

}
