package io.llmspell.web;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code agent-tools} example spell over HTTP and SSE: with the mock, and with
 * WireMock playing OpenAI and Anthropic (the model calls both tools in one turn, then the
 * agent's tool, then answers), plus a tool loop that never ends.
 */
@TestPropertySource(properties = { "llmspell.llm.max-retries=0" })
class AgentToolsSpellTests extends ServerTests {

	static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

	static {
		upstream.start();
	}

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("llmspell.llm.openai.base-url", () -> upstream.baseUrl() + "/v1");
		registry.add("llmspell.llm.openai.api-key", () -> "sk-test-agent-tools-key");
		registry.add("llmspell.llm.anthropic.base-url", upstream::baseUrl);
		registry.add("llmspell.llm.anthropic.api-key", () -> "sk-ant-test-agent-tools-key");
	}

	@AfterAll
	static void stop() {
		upstream.stop();
	}

	@BeforeEach
	void reset() {
		upstream.resetAll();
	}

	private List<ServerSentEvent<Map<String, Object>>> run(String spell, String provider) {
		return runSse("/spells/" + spell + "/run", provider);
	}

	private static List<Map<String, Object>> all(List<ServerSentEvent<Map<String, Object>>> events, String name) {
		return events.stream().filter((event) -> name.equals(event.event())).map(ServerSentEvent::data).toList();
	}

	@Test
	void withTheMock() {
		var events = run("agent-tools", "mock");
		assertThat(data(events, "done")).containsEntry("status", "ok");
		assertThat(all(events, "tool")).extracting((tool) -> tool.get("name"), (tool) -> tool.get("result"))
			.containsExactly(org.assertj.core.groups.Tuple.tuple("calculator", 42),
					org.assertj.core.groups.Tuple.tuple("word_count", Map.of("words", 4)),
					org.assertj.core.groups.Tuple.tuple("word_count", Map.of("words", 4)));
		assertThat(all(events, "output")).extracting((output) -> output.get("text"))
			.containsExactly("chat:\tMock answer from tools: calculator=42; word_count={\"words\":4}",
					"agent:\tMock answer from tools: word_count={\"words\":4}");
		assertThat((Map<String, Object>) data(events, "done").get("usage")).containsEntry("calls", 4);
	}

	@Test
	void withWireMockAsOpenAi() {
		String path = "/v1/chat/completions";
		stub(path, 1, "You count words", "tool_call_id", openAiAnswer("There are 4 words."));
		stub(path, 2, "You count words", null, openAiCalls(
				"""
						{"id":"call_9","type":"function","function":{"name":"word_count","arguments":"{\\"text\\":\\"the quick brown fox\\"}"}}"""));
		stub(path, 3, "tool_call_id", null, openAiAnswer("6 times 7 is 42, and the text has 4 words."));
		stub(path, 4, null, null, openAiCalls(
				"""
						{"id":"call_1","type":"function","function":{"name":"calculator","arguments":"{\\"op\\":\\"mul\\",\\"a\\":6,\\"b\\":7}"}},
						{"id":"call_2","type":"function","function":{"name":"word_count","arguments":"{\\"text\\":\\"the quick brown fox\\"}"}}"""));
		var events = run("agent-tools", "openai");
		assertThat(data(events, "done")).containsEntry("status", "ok");
		assertThat(all(events, "output")).extracting((output) -> output.get("text"))
			.containsExactly("chat:\t6 times 7 is 42, and the text has 4 words.", "agent:\tThere are 4 words.");
		assertThat(all(events, "tool")).extracting((tool) -> tool.get("toolCallId"))
			.containsExactly("call_1", "call_2", "call_9");
		assertThat((Map<String, Object>) data(events, "done").get("usage")).containsEntry("calls", 4)
			.containsEntry("promptTokens", 40)
			.containsEntry("completionTokens", 20);
	}

	@Test
	void withWireMockAsAnthropic() {
		String path = "/v1/messages";
		stub(path, 1, "You count words", "tool_result", anthropicAnswer("There are 4 words."));
		stub(path, 2, "You count words", null, anthropicCalls("""
				{"type":"tool_use","id":"toolu_9","name":"word_count","input":{"text":"the quick brown fox"}}"""));
		stub(path, 3, "tool_result", null, anthropicAnswer("6 times 7 is 42, and the text has 4 words."));
		stub(path, 4, null, null, anthropicCalls("""
				{"type":"tool_use","id":"toolu_1","name":"calculator","input":{"op":"mul","a":6,"b":7}},
				{"type":"tool_use","id":"toolu_2","name":"word_count","input":{"text":"the quick brown fox"}}"""));
		var events = run("agent-tools", "anthropic");
		assertThat(data(events, "done")).containsEntry("status", "ok");
		assertThat(all(events, "output")).extracting((output) -> output.get("text"))
			.containsExactly("chat:\t6 times 7 is 42, and the text has 4 words.", "agent:\tThere are 4 words.");
		assertThat(all(events, "tool")).extracting((tool) -> tool.get("result"))
			.containsExactly(42, Map.of("words", 4), Map.of("words", 4));
	}

	@Test
	void aToolLoopThatNeverEndsStopsAtMaxStepsWithAClearError() {
		var events = run("tool-loop", "mock");
		assertThat(data(events, "done")).containsEntry("status", "ok")
			.containsEntry("result",
					"max_steps reached: the model still called tools after 3 steps" + " (raise opts.max_steps, now 3)");
		assertThat(all(events, "tool")).hasSize(2);
	}

	private void stub(String path, int priority, String marker, String second, String body) {
		MappingBuilder mapping = post(urlPathEqualTo(path)).atPriority(priority);
		if (marker != null) {
			mapping = mapping.withRequestBody(containing(marker));
		}
		if (second != null) {
			mapping = mapping.withRequestBody(containing(second));
		}
		upstream.stubFor(mapping.willReturn(okJson(body)));
	}

	private static String openAiCalls(String calls) {
		return """
				{"model":"gpt-test","choices":[{"index":0,"finish_reason":"tool_calls",
				  "message":{"role":"assistant","content":null,"tool_calls":[%s]}}],
				 "usage":{"prompt_tokens":10,"completion_tokens":5}}""".formatted(calls);
	}

	private static String openAiAnswer(String text) {
		return """
				{"model":"gpt-test","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"%s"}}],
				 "usage":{"prompt_tokens":10,"completion_tokens":5}}"""
			.formatted(text);
	}

	private static String anthropicCalls(String blocks) {
		return """
				{"type":"message","role":"assistant","model":"claude-test","stop_reason":"tool_use","content":[%s],
				 "usage":{"input_tokens":10,"output_tokens":5}}""".formatted(blocks);
	}

	private static String anthropicAnswer(String text) {
		return """
				{"type":"message","role":"assistant","model":"claude-test","stop_reason":"end_turn",
				 "content":[{"type":"text","text":"%s"}],"usage":{"input_tokens":10,"output_tokens":5}}"""
			.formatted(text);
	}

}
