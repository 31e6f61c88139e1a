package io.llmspell.lua;

import org.junit.jupiter.api.Test;

import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.openai.OpenAiProperties;
import io.llmspell.llm.openai.OpenAiProvider;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Function calling and structured output in OpenAI's Chat Completions dialect. */
class OpenAiToolCallingTests extends ToolCallingContractTests {

	private static final String TOOL_SPECS = """
			[{"type":"function","function":{"name":"get_weather","description":"Weather of a city",
			   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
			 {"type":"function","function":{"name":"explode","description":"Always fails",
			   "parameters":{"type":"object","properties":{}}}}]""";

	@Override
	protected LlmProvider create() {
		return new OpenAiProvider(
				new OpenAiProperties("sk-test-0123456789abcdefghij", wm.baseUrl() + "/v1", "gpt-test"),
				LlmProperties.defaults()
					.withRetries(0, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(10)),
				WebClient.builder(), registry);
	}

	@Override
	protected String chatPath() {
		return "/v1/chat/completions";
	}

	@Override
	protected String resultMarker() {
		return "tool_call_id";
	}

	@Override
	protected String firstToolsRequest() {
		return """
				{"model":"gpt-test","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":%s}"""
			.formatted(TOOL_SPECS);
	}

	@Override
	protected String twoToolCalls() {
		return """
				{"id":"chatcmpl-1","model":"gpt-test","choices":[{"index":0,"finish_reason":"tool_calls",
				  "message":{"role":"assistant","content":null,"tool_calls":[
				    {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
				    {"id":"call_2","type":"function","function":{"name":"explode","arguments":"{}"}}]}}],
				 "usage":{"prompt_tokens":10,"completion_tokens":5}}""";
	}

	@Override
	protected String followUpRequest() {
		return """
				{"model":"gpt-test","messages":[
				  {"role":"user","content":"Weather in Paris?"},
				  {"role":"assistant","content":null,"tool_calls":[
				    {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
				    {"id":"call_2","type":"function","function":{"name":"explode","arguments":"{}"}}]},
				  {"role":"tool","tool_call_id":"call_1","content":"{\\"city\\":\\"Paris\\",\\"temp\\":21}"},
				  {"role":"tool","tool_call_id":"call_2","content":"{\\"error\\":\\"main.lua:5: boom\\"}"}],
				 "tools":%s}"""
			.formatted(TOOL_SPECS);
	}

	@Override
	protected String finalAnswer(String text) {
		return """
				{"id":"chatcmpl-2","model":"gpt-test","choices":[{"index":0,"finish_reason":"stop",
				  "message":{"role":"assistant","content":"%s"}}],"usage":{"prompt_tokens":20,"completion_tokens":7}}"""
			.formatted(text);
	}

	@Override
	protected String streamedTwoToolCalls() {
		return sse(
				"""
						{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}""",
				"""
						{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"ci"}}]}}]}""",
				"""
						{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\\": \\"Paris\\"}"}}]}}]}""",
				"""
						{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"explode","arguments":"{}"}}]}}]}""",
				"""
						{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""", """
						{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5}}""", "[DONE]");
	}

	@Override
	protected String streamedAnswer(String text) {
		String half = text.substring(0, text.length() / 2);
		return sse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + half + "\"}}]}",
				"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text.substring(half.length()) + "\"}}]}",
				"{\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":7}}", "[DONE]");
	}

	private static String sse(String... events) {
		StringBuilder body = new StringBuilder();
		for (String event : events) {
			body.append("data: ").append(event.strip()).append("\n\n");
		}
		return body.toString();
	}

	@Override
	protected String structuredRequest() {
		return """
				{"model":"gpt-test","messages":[{"role":"user","content":"Who?"}],
				 "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,
				   "schema":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},
				             "required":["name","age"]}}}}""";
	}

	@Override
	protected String structuredAnswer(String json) {
		return """
				{"model":"gpt-test","choices":[{"index":0,"message":{"role":"assistant","content":%s}}],
				 "usage":{"prompt_tokens":3,"completion_tokens":4}}""".formatted(quote(json));
	}

	private static String quote(String json) {
		return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	@Test
	void stopTopPSeedAndResponseFormatPassThrough() {
		wm.stubFor(post(urlPathEqualTo(chatPath())).willReturn(okJson(finalAnswer("ok"))));
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.provider = create();
		fixture
			.run("""
					print(llm.chat("Hi", {stop = {"END"}, top_p = 0.5, seed = 42, response_format = {type = "json_object"}}))
					""");
		assertThat(fixture.output()).containsExactly("ok");
		String body = wm.getAllServeEvents().get(0).getRequest().getBodyAsString();
		assertThat(equalToJson("""
				{"model":"gpt-test","messages":[{"role":"user","content":"Hi"}],"top_p":0.5,"seed":42,"stop":["END"],
				 "response_format":{"type":"json_object"}}""").match(body).isExactMatch()).as(body).isTrue();
	}

}
