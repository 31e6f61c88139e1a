package io.llmspell.lua;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event loop, the async LLM bridge and promises, on a run of their own with the mock
 * provider.
 */
class EventLoopTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	@Test
	void seedSnippetOneRunsVerbatimWithOverlappingCalls() {
		fixture.latency = Duration.ofMillis(300);
		RunOutcome outcome = fixture.run("""
				llm.chat_async("Question 1", function(result) print("Got result 1:", result) end)
				llm.chat_async("Question 2", function(result) print("Got result 2:", result) end)
				while llm.has_pending() do llm.process_callbacks() end
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).hasSize(2).allMatch((line) -> line.startsWith("Got result "));
		assertOverlapped(fixture.events("callback"));
	}

	@Test
	void seedSnippetTwoRunsVerbatimWithOverlappingCalls() throws IOException {
		fixture.latency = Duration.ofMillis(300);
		// the seed's example, verbatim, as the test spell `seed-promise` has it
		RunOutcome outcome = fixture
			.run(Files.readString(Path.of("src/test/resources/test-spells/seed-promise/main.lua")));
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat((List<?>) outcome.result()).hasSize(3)
			.allSatisfy((answer) -> assertThat((String) answer).startsWith("Mock answer to \"Q"));
		assertOverlapped(fixture.events("callback"));
		assertThat(outcome.durationMs()).isLessThan(3 * 300);
	}

	@Test
	void sleepingEventLoopFormRuns() {
		fixture.latency = Duration.ofMillis(200);
		RunOutcome outcome = fixture.run("""
				local done = 0
				for i = 1, 3 do llm.chat_async("Q" .. i, function() done = done + 1 end) end
				local running = true
				while running do
				  llm.process_callbacks()
				  if done == 3 then running = false end
				  sleep(0.01)
				end
				return done
				""");
		assertThat(outcome.result()).isEqualTo(3L);
		assertOverlapped(fixture.events("callback"));
	}

	@Test
	void boundedPollingLoopRuns() {
		RunOutcome outcome = fixture.run("""
				local completed, n, i = 0, 4, 0
				for k = 1, n do llm.chat_async("Q" .. k, function() completed = completed + 1 end) end
				while completed < n and i < 100 do
				  async.process_callbacks()
				  i = i + 1
				end
				return completed
				""");
		assertThat(outcome.result()).isEqualTo(4L);
	}

	@Test
	void callbacksCarryIdsAndInfoAndDoneCarriesUsage() {
		RunOutcome outcome = fixture
			.run("""
					local ids = {}
					ids[1] = llm.chat_async("alpha", function(text, info) print("ok", info.id, info.provider, info.usage.prompt_tokens) end)
					ids[2] = llm.chat_async("beta [delay=250]", function(text, info) print("ok", info.id) end)
					async.wait_all()
					return ids
					""");
		assertThat(outcome.result()).isEqualTo(List.of(1L, 2L));
		assertThat(fixture.output()).containsExactly("ok\t1\tmock\t1", "ok\t2");
		List<Map<String, Object>> callbacks = fixture.events("callback");
		assertThat(callbacks).extracting((data) -> data.get("callId")).containsExactly(1, 2);
		assertThat(callbacks.get(0)).containsEntry("ok", true)
			.containsEntry("kind", "chat")
			.containsEntry("provider", "mock")
			.containsKeys("elapsedMs", "usage", "result", "model");
		assertThat(outcome.usage()).containsEntry("calls", 2L);
		assertThat((Long) outcome.usage().get("completionTokens")).isPositive();
	}

	@Test
	void anErrorInsideACallbackEndsTheRunWithItsLine() {
		RunOutcome outcome = fixture.run("""
				llm.chat_async("x", function(text)
				  error("callback failed")
				end)
				async.wait_all()
				""");
		assertThat(outcome.status()).isEqualTo("error");
		assertThat(outcome.error().line()).isEqualTo(2);
		assertThat(outcome.error().message()).contains("callback failed");
	}

	@Test
	void llmFailuresReachOnErrOrAFailedCallbackEvent() {
		RunOutcome outcome = fixture
			.run("""
					llm.chat_async("please [fail]", function() print("never") end, function(err, info) print("on_err", err, info.id) end)
					llm.chat_async("again [fail]", function() print("never") end)
					async.wait_all()
					local text, err = llm.chat("sync [fail]")
					print("sync", text, err)
					""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("on_err\tmock: 500 simulated failure ([fail] in the prompt)\t1",
				"sync\tnil\tmock: 500 simulated failure ([fail] in the prompt)");
		assertThat(fixture.events("callback")).hasSize(2)
			.allSatisfy((data) -> assertThat(data).containsEntry("ok", false));
	}

	@Test
	void cancelledCallsNeverCallBack() {
		RunOutcome outcome = fixture.run("""
				local id = llm.chat_async("slow [delay=300]", function() print("never") end)
				local keep = llm.chat_async("fast", function() print("kept") end)
				print(llm.pending_count(), llm.cancel(id), llm.cancel(id), llm.pending_count())
				async.wait_all()
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("2\ttrue\tfalse\t1", "kept");
		assertThat(fixture.events("callback")).hasSize(1);
	}

	@Test
	void timersFireInOrderAndCanBeCleared() {
		RunOutcome outcome = fixture.run("""
				async.set_timeout(0.06, function() print("second") end)
				async.set_timeout(0.02, function() print("first") end)
				local id = async.set_timeout(0.04, function() print("never") end)
				print("cleared", async.clear_timeout(id))
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("cleared\ttrue", "first", "second");
	}

	@Test
	void streamChatSendsChunksBeforeTheCallEnds() {
		RunOutcome outcome = fixture.run("""
				local pieces = {}
				local err = llm.stream_chat("tell me", function(piece) pieces[#pieces + 1] = piece end)
				print(err == nil, #pieces)
				local stop = llm.stream_chat("again", function(piece) return "enough" end)
				print(stop)
				return table.concat(pieces)
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output().get(0)).isEqualTo("true\t4");
		assertThat(fixture.output().get(1)).isEqualTo("enough");
		List<String> names = fixture.eventNames();
		assertThat(names.subList(0, 4)).containsOnly("chunk");
		assertThat((String) outcome.result()).startsWith("Mock answer to \"tell me\"");
	}

	private static void assertOverlapped(List<Map<String, Object>> callbacks) {
		// Every call started before the first one finished: each took about one latency,
		// and
		// the first callback was dispatched no later than the last call's start plus its
		// latency.
		long maxElapsed = callbacks.stream()
			.mapToLong((data) -> ((Number) data.get("elapsedMs")).longValue())
			.max()
			.orElseThrow();
		long minElapsed = callbacks.stream()
			.mapToLong((data) -> ((Number) data.get("elapsedMs")).longValue())
			.min()
			.orElseThrow();
		assertThat(callbacks).hasSizeGreaterThanOrEqualTo(2);
		assertThat(maxElapsed).isLessThan(2 * minElapsed + 100);
	}

}
