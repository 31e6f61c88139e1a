package io.llmspell.lua;

import org.junit.jupiter.api.Test;

import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.anthropic.AnthropicProperties;
import io.llmspell.llm.anthropic.AnthropicProvider;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function calling in Anthropic's Messages dialect, and structured output as a forced
 * tool.
 */
class AnthropicToolCallingTests extends ToolCallingContractTests {

	private static final String TOOL_SPECS = """
			[{"name":"get_weather","description":"Weather of a city",
			  "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
			 {"name":"explode","description":"Always fails","input_schema":{"type":"object","properties":{}}}]""";

	@Override
	protected LlmProvider create() {
		return new AnthropicProvider(
				new AnthropicProperties("sk-ant-test-0123456789abcdef", wm.baseUrl(), "claude-test"),
				LlmProperties.defaults()
					.withRetries(0, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(10)),
				WebClient.builder(), registry);
	}

	@Override
	protected String chatPath() {
		return "/v1/messages";
	}

	@Override
	protected String resultMarker() {
		return "tool_result";
	}

	@Override
	protected String firstToolsRequest() {
		return """
				{"model":"claude-test","max_tokens":1024,"messages":[{"role":"user","content":"Weather in Paris?"}],
				 "tools":%s}""".formatted(TOOL_SPECS);
	}

	@Override
	protected String twoToolCalls() {
		return """
				{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","stop_reason":"tool_use",
				 "content":[{"type":"text","text":"Let me check."},
				   {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
				   {"type":"tool_use","id":"toolu_2","name":"explode","input":{}}],
				 "usage":{"input_tokens":10,"output_tokens":5}}""";
	}

	@Override
	protected String followUpRequest() {
		return """
				{"model":"claude-test","max_tokens":1024,"messages":[
				  {"role":"user","content":"Weather in Paris?"},
				  {"role":"assistant","content":[{"type":"text","text":"Let me check."},
				    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
				    {"type":"tool_use","id":"toolu_2","name":"explode","input":{}}]},
				  {"role":"user","content":[
				    {"type":"tool_result","tool_use_id":"toolu_1","content":"{\\"city\\":\\"Paris\\",\\"temp\\":21}"},
				    {"type":"tool_result","tool_use_id":"toolu_2","content":"{\\"error\\":\\"main.lua:5: boom\\"}","is_error":true}]}],
				 "tools":%s}"""
			.formatted(TOOL_SPECS);
	}

	@Override
	protected String finalAnswer(String text) {
		return """
				{"id":"msg_2","type":"message","role":"assistant","model":"claude-test","stop_reason":"end_turn",
				 "content":[{"type":"text","text":"%s"}],"usage":{"input_tokens":20,"output_tokens":7}}"""
			.formatted(text);
	}

	@Override
	protected String streamedTwoToolCalls() {
		return sse("message_start",
				"""
						{"type":"message_start","message":{"model":"claude-test","usage":{"input_tokens":10,"output_tokens":1}}}""",
				"content_block_start",
				"""
						{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}""",
				"content_block_delta",
				"""
						{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"ci"}}""",
				"content_block_delta",
				"""
						{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"ty\\": \\"Paris\\"}"}}""",
				"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}", "content_block_start",
				"""
						{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_2","name":"explode","input":{}}}""",
				"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}", "message_delta", """
						{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}""",
				"message_stop", "{\"type\":\"message_stop\"}");
	}

	@Override
	protected String streamedAnswer(String text) {
		String half = text.substring(0, text.length() / 2);
		return sse("message_start",
				"""
						{"type":"message_start","message":{"model":"claude-test","usage":{"input_tokens":20,"output_tokens":1}}}""",
				"content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + half
						+ "\"}}",
				"content_block_delta",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
						+ text.substring(half.length()) + "\"}}",
				"message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":7}}", "message_stop",
				"{\"type\":\"message_stop\"}");
	}

	private static String sse(String... typesAndData) {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < typesAndData.length; i += 2) {
			body.append("event: ")
				.append(typesAndData[i])
				.append("\ndata: ")
				.append(typesAndData[i + 1].strip())
				.append("\n\n");
		}
		return body.toString();
	}

	@Override
	protected String structuredRequest() {
		return """
				{"model":"claude-test","max_tokens":1024,"messages":[{"role":"user","content":"Who?"}],
				 "tool_choice":{"type":"tool","name":"structured_output"},
				 "tools":[{"name":"structured_output",
				   "description":"Give your final answer by calling this tool, with the answer as its input.",
				   "input_schema":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},
				                   "required":["name","age"]}}]}""";
	}

	@Override
	protected String structuredAnswer(String json) {
		return """
				{"id":"msg_3","type":"message","role":"assistant","model":"claude-test","stop_reason":"tool_use",
				 "content":[{"type":"tool_use","id":"toolu_9","name":"structured_output","input":%s}],
				 "usage":{"input_tokens":3,"output_tokens":4}}""".formatted(json);
	}

	@Test
	void anOptionAnthropicCannotHonourIsAnErrorAndNothingIsSent() {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.provider = create();
		fixture.run("""
				print(llm.chat("Hi", {seed = 42}))
				print(llm.chat("Hi", {response_format = {type = "json_object"}}))
				""");
		assertThat(fixture.output()).containsExactly("nil\tanthropic: option 'seed' is not supported by this provider",
				"nil\tanthropic: option 'response_format' is not supported by this provider");
		assertThat(wm.getAllServeEvents()).isEmpty();
	}

}
