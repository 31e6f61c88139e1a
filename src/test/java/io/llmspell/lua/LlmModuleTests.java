package io.llmspell.lua;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code llm} module's conventions: options are never dropped, mistakes are
 * {@code nil, err} (never a raised Java error), the mock honours what it is asked, and
 * go-llmspell's {@code set_provider}/{@code set_model} returns.
 */
class LlmModuleTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	@Test
	void chatAsyncKeepsItsOptionsAfterAnExplicitNilErrorHandler() {
		fixture.latency = Duration.ofMillis(10);
		fixture.run("""
				llm.chat_async("Hi", function(text, info) print(info.model) end, nil, {model = "chosen-model"})
				llm.chat_async("Hi", function(text, info) print(info.model) end, {model = "third-arg"})
				llm.chat_async("Hi", function(text, info) print(info.model) end, function() end, {model = "fourth-arg"})
				async.wait_all()
				""");
		assertThat(fixture.output()).containsExactlyInAnyOrder("chosen-model", "third-arg", "fourth-arg");
	}

	@Test
	void anUnknownProviderOrOptionIsNilAndWhyInEveryForm() {
		fixture.latency = Duration.ofMillis(10);
		fixture.run("""
				print(llm.chat("Hi", {provider = "nope"}))
				print(llm.complete("Hi", 5, {provider = "nope"}))
				print(llm.chat_async("Hi", function() end, {provider = "nope"}))
				print(llm.stream_chat("Hi", function() end, {provider = "nope"}))
				print(llm.chat("Hi", {temprature = 0.2}))
				print(llm.chat("Hi", {temperature = "hot"}))
				print(llm.chat("Hi", {tools = {"missing"}}))
				""");
		assertThat(fixture.output()).hasSize(7);
		assertThat(fixture.output().subList(0, 4))
			.allSatisfy((line) -> assertThat(line).contains("unknown provider 'nope'; configured: mock")
				.doesNotContain("vm error")
				.doesNotContain("Exception"));
		assertThat(fixture.output().get(4)).startsWith("nil\tunknown option 'temprature'");
		assertThat(fixture.output().get(5)).isEqualTo("nil\tbad option 'temperature' (number expected, got string)");
		assertThat(fixture.output().get(6)).startsWith("nil\tunknown tool 'missing' in opts.tools");
	}

	@Test
	void aRunWhoseTimeRunsOutWhileAStreamIsSilentEndsAtItsTimeout() {
		RunLimits defaults = LuaRunFixture.LIMITS;
		fixture.limits = new RunLimits(Duration.ofMillis(400), defaults.maxInstructions(), defaults.maxMemory(),
				defaults.maxOutputBytes(), defaults.maxOutputEvents(), defaults.maxPending(), defaults.maxCoroutines(),
				defaults.maxStringSize(), defaults.maxCallDepth(), defaults.maxLlmCalls(), defaults.maxHttpRequests(),
				defaults.maxHttpResponseBytes(), defaults.httpTimeout(), defaults.maxEventBytes());
		long start = System.nanoTime();
		RunOutcome outcome = fixture.run("""
				llm.stream_chat("slow [delay=20000]", function() end)
				print("not reached")
				""");
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("timeout");
		assertThat(fixture.output()).isEmpty();
		// the stream's wait ends with the run's time, not with the 20 s answer
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void theMockHonoursTheTimeoutOption() {
		fixture.latency = Duration.ofMillis(10);
		RunOutcome outcome = fixture.run("""
				print(llm.chat("slow [delay=20000]", {timeout = 0.2}))
				print(llm.chat("fast", {timeout = 5}))
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output().get(0)).isEqualTo("nil\tmock: timeout: no complete answer within 0.2s");
		assertThat(fixture.output().get(1)).startsWith("Mock answer to \"fast\"");
	}

	@Test
	void theMockHonoursStopAndAcceptsTopPAndSeed() {
		fixture.latency = Duration.ofMillis(10);
		fixture.run("""
				print(llm.chat("Hi", {stop = {" to "}, top_p = 0.9, seed = 7}))
				print(llm.chat("Hi", {response_format = {type = "json_object"}}))
				""");
		assertThat(fixture.output()).containsExactly("Mock answer", "{\"answer\":\"mock\"}");
	}

	@Test
	void elapsedMsEndsWhenTheAnswerArrivedDispatchedMsWhenTheCallbackRan() {
		fixture.latency = Duration.ofMillis(10);
		fixture.run("""
				llm.chat_async("Hi", function(text, info)
				  print(info.queued_ms >= 500, info.elapsed_ms + info.queued_ms == info.dispatched_ms,
				        info.elapsed_ms < info.dispatched_ms)
				end)
				sleep(1)
				llm.process_callbacks()
				""");
		assertThat(fixture.output()).containsExactly("true\ttrue\ttrue");
		assertThat(fixture.events("callback")).singleElement()
			.satisfies((data) -> assertThat((Long) data.get("queuedMs")).isGreaterThanOrEqualTo(500));
	}

	@Test
	void setProviderAndSetModelReturnNothingOnSuccessAndTheErrorOnFailure() {
		fixture.run("""
				print(select("#", llm.set_provider("mock")))
				print(llm.set_provider("nope"))
				print(llm.get_provider())
				print(select("#", llm.set_model("other-model")), llm.get_model())
				print(llm.set_model(""))
				local err = llm.set_provider("nope")
				if err then print("failed: " .. err) end
				""");
		assertThat(fixture.output()).containsExactly("0", "unknown provider 'nope'; configured: mock", "mock",
				"0\tother-model", "model name must be a non-empty string",
				"failed: unknown provider 'nope'; configured: mock");
	}

}
