package io.llmspell.llm.anthropic;

import java.util.List;

import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.ProviderContractTests;
import io.llmspell.llm.Usage;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class AnthropicProviderTests extends ProviderContractTests {

	private static final String KEY = "sk-ant-api03-test-0123456789abcdef";

	@Override
	protected LlmProvider create(LlmProperties properties) {
		return new AnthropicProvider(new AnthropicProperties(KEY, wm.baseUrl(), null), properties, WebClient.builder(),
				registry);
	}

	@Override
	protected String apiKey() {
		return KEY;
	}

	@Override
	protected String chatPath() {
		return "/v1/messages";
	}

	@Override
	protected String chatBody(String text, String model, long promptTokens, long completionTokens) {
		return """
				{"id":"msg_1","type":"message","role":"assistant","model":"%s",
				 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
				 "usage":{"input_tokens":%d,"output_tokens":%d}}""".formatted(model, text, promptTokens,
				completionTokens);
	}

	@Override
	protected String streamBody(List<String> pieces, String model, long promptTokens, long completionTokens) {
		StringBuilder body = new StringBuilder();
		body.append(event("message_start", """
				{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],
				"model":"%s","stop_reason":null,"usage":{"input_tokens":%d,"output_tokens":1}}}""".formatted(model,
				promptTokens)));
		body.append(event("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
		body.append(event("ping", "{\"type\": \"ping\"}"));
		for (String piece : pieces) {
			body.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
					+ "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"));
		}
		body.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
		body.append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
				+ "\"usage\":{\"output_tokens\":" + completionTokens + "}}"));
		body.append(event("message_stop", "{\"type\":\"message_stop\"}"));
		return body.toString();
	}

	private static String event(String type, String data) {
		return "event: " + type + "\ndata: " + data.replace("\n", "") + "\n\n";
	}

	@Override
	protected String truncatedStreamBody(String piece) {
		return event("message_start",
				"{\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":"
						+ "{\"input_tokens\":3,\"output_tokens\":1}}}")
				+ event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
						+ "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}");
	}

	@Override
	protected String errorBody(String type, String message) {
		return """
				{"type":"error","error":{"type":"%s","message":"%s"}}""".formatted(type, message);
	}

	@Test
	void chatSendsTheExactRequest() {
		wm.stubFor(chatStub().willReturn(json(200, chatBody("fine", "claude-3-5-haiku-20241022", 1, 1))));
		ChatRequest request = new ChatRequest("claude-3-5-haiku-latest",
				List.of(new ChatMessage("system", "Also polite."), ChatMessage.user("Hello"),
						new ChatMessage("assistant", "Hi!"), ChatMessage.user("Again")),
				"Be brief.", 0.5, null, null);

		StepVerifier.create(provider(FAST).chat(request))
			.expectNextMatches((response) -> response.model().equals("claude-3-5-haiku-20241022"))
			.verifyComplete();

		wm.verify(postRequestedFor(urlEqualTo("/v1/messages")).withHeader("x-api-key", equalTo(KEY))
			.withHeader("anthropic-version", equalTo("2023-06-01"))
			.withHeader("Content-Type", equalTo("application/json"))
			.withoutHeader("Authorization")
			.withRequestBody(equalToJson("""
					{"model":"claude-3-5-haiku-latest","max_tokens":1024,"system":"Be brief.\\n\\nAlso polite.",
					 "messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":"Hi!"},
					             {"role":"user","content":"Again"}],
					 "temperature":0.5}""")));
	}

	@Test
	void maxTokensComesFromTheRequestOrTheConfiguration() {
		wm.stubFor(chatStub().willReturn(json(200, chatBody("fine", "m", 1, 1))));
		AnthropicProvider provider = new AnthropicProvider(
				new AnthropicProperties(KEY, wm.baseUrl(), "claude-x", 333, null), FAST, WebClient.builder(), registry);
		try {
			StepVerifier
				.create(provider
					.chat(new ChatRequest("claude-x", List.of(ChatMessage.user("Hi")), null, null, null, null)))
				.expectNextCount(1)
				.verifyComplete();
			StepVerifier
				.create(provider
					.stream(new ChatRequest("claude-x", List.of(ChatMessage.user("Hi")), null, null, 77, null)))
				.expectError()
				.verify();
		}
		finally {
			provider.close();
		}
		wm.verify(postRequestedFor(urlEqualTo("/v1/messages")).withRequestBody(equalToJson("""
				{"model":"claude-x","max_tokens":333,"messages":[{"role":"user","content":"Hi"}]}""")));
		wm.verify(postRequestedFor(urlEqualTo("/v1/messages")).withHeader("Accept", equalTo("text/event-stream"))
			.withRequestBody(equalToJson(
					"""
							{"model":"claude-x","max_tokens":77,"messages":[{"role":"user","content":"Hi"}],"stream":true}""")));
	}

	@Test
	void streamIgnoresUnknownEventsAndTakesUsageFromStartAndDelta() {
		String body = streamBody(List.of("Hi", " there"), "claude-3-5-haiku-20241022", 25, 15).replace(
				"event: message_stop",
				"event: shiny_new_event\ndata: {\"type\":\"shiny_new_event\"}\n\nevent: message_stop");
		wm.stubFor(chatStub().willReturn(sse(body)));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.expectNextMatches(
					(chunk) -> chunk.text().equals("Hi") && chunk.model().equals("claude-3-5-haiku-20241022"))
			.expectNextMatches((chunk) -> chunk.text().equals(" there"))
			.expectNextMatches((chunk) -> !chunk.hasText() && chunk.usage().equals(new Usage(25, 15)))
			.verifyComplete();
	}

	@Test
	void errorEventMidStreamFails() {
		wm.stubFor(chatStub().willReturn(sse(truncatedStreamBody("Once") + event("error",
				"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.expectNextMatches((chunk) -> chunk.text().equals("Once"))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(LlmException.class).hasMessage("anthropic: Overloaded");
			})
			.verify();
		assertThat(chatRequests()).isEqualTo(1);
	}

	@Test
	void overloaded529IsRetried() {
		firstThen(json(529, errorBody("overloaded_error", "Overloaded")), json(200, chatBody("ok", "m", 1, 1)));

		StepVerifier.create(provider(FAST).chat(ask("hi")))
			.expectNextMatches((response) -> response.text().equals("ok"))
			.verifyComplete();
		assertThat(chatRequests()).isEqualTo(2);
		assertThat(retries("529")).isEqualTo(1);
	}

	@Test
	void listModels() {
		wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(okJson("""
				{"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4"},
				         {"type":"model","id":"claude-3-5-haiku-20241022","display_name":"Claude Haiku 3.5"}],
				 "has_more":false,"first_id":"claude-sonnet-4-20250514","last_id":"claude-3-5-haiku-20241022"}""")));

		StepVerifier.create(provider(FAST).listModels())
			.expectNext(List.of("claude-sonnet-4-20250514", "claude-3-5-haiku-20241022"))
			.verifyComplete();
		wm.verify(getRequestedFor(urlPathEqualTo("/v1/models")).withHeader("x-api-key", equalTo(KEY))
			.withHeader("anthropic-version", equalTo("2023-06-01")));
	}

	@Test
	void defaults() {
		AnthropicProperties properties = new AnthropicProperties(KEY, "", null, 0, "");
		assertThat(properties.baseUrl()).isEqualTo("https://api.anthropic.com");
		assertThat(properties.model()).isEqualTo("claude-3-5-haiku-latest");
		assertThat(properties.maxTokens()).isEqualTo(1024);
		assertThat(properties.version()).isEqualTo("2023-06-01");
		assertThat(properties.toString()).doesNotContain(KEY);
	}

}
