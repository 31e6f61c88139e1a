package io.llmspell.llm.openai;

import java.util.ArrayList;
import java.util.List;

import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.ProviderContractTests;
import io.llmspell.llm.Usage;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiProviderTests extends ProviderContractTests {

	private static final String KEY = "sk-test-0123456789abcdefghij";

	@Override
	protected LlmProvider create(LlmProperties properties) {
		return new OpenAiProvider(new OpenAiProperties(KEY, wm.baseUrl() + "/v1/", null), properties,
				WebClient.builder(), registry);
	}

	@Override
	protected String apiKey() {
		return KEY;
	}

	@Override
	protected String chatPath() {
		return "/v1/chat/completions";
	}

	@Override
	protected String chatBody(String text, String model, long promptTokens, long completionTokens) {
		return """
				{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"%s",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}
				""".formatted(model, text, promptTokens, completionTokens, promptTokens + completionTokens);
	}

	@Override
	protected String streamBody(List<String> pieces, String model, long promptTokens, long completionTokens) {
		List<String> events = new ArrayList<>();
		events.add(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
		pieces.forEach((piece) -> events.add(chunk(model, "{\"content\":\"" + piece + "\"}", null)));
		events.add(chunk(model, "{}", "\"stop\""));
		events.add("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model + "\",\"choices\":[],"
				+ "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
				+ ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}");
		events.add("[DONE]");
		StringBuilder body = new StringBuilder();
		events.forEach((event) -> body.append("data: ").append(event).append("\n\n"));
		return body.toString();
	}

	private static String chunk(String model, String delta, String finishReason) {
		return "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
				+ "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}],"
				+ "\"usage\":null}";
	}

	@Override
	protected String truncatedStreamBody(String piece) {
		return "data: " + chunk("m", "{\"content\":\"" + piece + "\"}", null) + "\n\n";
	}

	@Override
	protected String errorBody(String type, String message) {
		return """
				{"error":{"message":"%s","type":"%s","param":null,"code":null}}""".formatted(message, type);
	}

	@Test
	void chatSendsTheExactRequest() {
		wm.stubFor(chatStub().willReturn(json(200, chatBody("fine", "gpt-4o-mini-2024", 1, 1))));
		ChatRequest request = new ChatRequest("gpt-4o-mini",
				List.of(ChatMessage.user("Hello"), new ChatMessage("assistant", "Hi!"), ChatMessage.user("Again")),
				"Be brief.", 0.2, 50, null);

		StepVerifier.create(provider(FAST).chat(request)).expectNextCount(1).verifyComplete();

		wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
			.withHeader("Authorization", equalTo("Bearer " + KEY))
			.withHeader("Content-Type", equalTo("application/json"))
			.withHeader("Accept", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"model":"gpt-4o-mini",
					 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"},
					             {"role":"assistant","content":"Hi!"},{"role":"user","content":"Again"}],
					 "max_tokens":50,"temperature":0.2}""")));
		// the fixed headers are Netty's; nothing adds a second value to them
		assertThat(headerValues("Content-Type")).containsExactly("application/json");
		assertThat(headerValues("Accept")).containsExactly("application/json");
	}

	private List<String> headerValues(String name) {
		return wm.getAllServeEvents().get(0).getRequest().getHeaders().getHeader(name).values();
	}

	@Test
	void unsetOptionsAreNotSentAndNoKeyMeansNoAuthorization() {
		wm.stubFor(chatStub().willReturn(json(200, chatBody("fine", "llama3", 1, 1))));
		// Ollama: a base URL, no key
		OpenAiProvider ollama = new OpenAiProvider(new OpenAiProperties("", wm.baseUrl() + "/v1", "llama3"), FAST,
				WebClient.builder(), registry);
		try {
			assertThat(ollama.defaultModel()).isEqualTo("llama3");
			StepVerifier
				.create(ollama.chat(new ChatRequest("llama3", List.of(ChatMessage.user("Hi")), null, null, null, null)))
				.expectNextCount(1)
				.verifyComplete();
		}
		finally {
			ollama.close();
		}
		wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", absent())
			.withRequestBody(equalToJson("""
					{"model":"llama3","messages":[{"role":"user","content":"Hi"}]}""")));
	}

	@Test
	void streamAsksForUsageAndStopsAtDone() {
		// anything after [DONE] is not read
		wm.stubFor(
				chatStub().willReturn(sse(streamBody(List.of("A", "B"), "gpt-4o-mini", 7, 2) + "data: {broken\n\n")));

		StepVerifier
			.create(provider(FAST)
				.stream(new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("Hi")), "Sys", null, 10, null)))
			.expectNextMatches((chunk) -> chunk.text().equals("A") && chunk.model().equals("gpt-4o-mini"))
			.expectNextMatches((chunk) -> chunk.text().equals("B"))
			.expectNextMatches((chunk) -> chunk.usage().equals(new Usage(7, 2)))
			.verifyComplete();

		wm.verify(
				postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Accept", equalTo("text/event-stream"))
					.withHeader("Content-Type", equalTo("application/json"))
					.withRequestBody(equalToJson("""
							{"model":"gpt-4o-mini",
							 "messages":[{"role":"system","content":"Sys"},{"role":"user","content":"Hi"}],
							 "max_tokens":10,"stream":true,"stream_options":{"include_usage":true}}""")));
	}

	@Test
	void usageChunkWithNullChoicesAndNoUsageAtAll() {
		wm.stubFor(chatStub().willReturn(sse("""
				data: {"model":"m","choices":[{"delta":{"content":"x"}}]}

				data: {"model":"m","choices":null,"usage":{"prompt_tokens":3,"completion_tokens":1}}

				data: [DONE]

				""")));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.expectNextMatches((chunk) -> chunk.text().equals("x"))
			.expectNextMatches((chunk) -> !chunk.hasText() && chunk.usage().equals(new Usage(3, 1)))
			.verifyComplete();
	}

	@Test
	void errorObjectMidStreamFails() {
		wm.stubFor(chatStub().willReturn(
				sse("""
						data: {"model":"m","choices":[{"delta":{"content":"Once upon"}}]}

						data: {"error":{"message":"The server had an error while processing your request.","type":"server_error"}}

						""")));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.expectNextMatches((chunk) -> chunk.text().equals("Once upon"))
			.expectErrorMessage("openai: The server had an error while processing your request.")
			.verify();
		assertThat(chatRequests()).isEqualTo(1);
	}

	@Test
	void listModels() {
		wm.stubFor(get("/v1/models").willReturn(okJson("""
				{"object":"list","data":[{"id":"gpt-4o","object":"model"},{"id":"gpt-4o-mini","object":"model"}]}""")));

		StepVerifier.create(provider(FAST).listModels()).expectNext(List.of("gpt-4o", "gpt-4o-mini")).verifyComplete();
		wm.verify(getRequestedFor(urlPathEqualTo("/v1/models")).withHeader("Authorization", equalTo("Bearer " + KEY))
			.withHeader("Accept", equalTo("application/json"))
			.withoutHeader("Content-Type"));
	}

	@Test
	void defaults() {
		OpenAiProperties properties = new OpenAiProperties(null, " ", "");
		assertThat(properties.baseUrl()).isEqualTo("https://api.openai.com/v1");
		assertThat(properties.model()).isEqualTo("gpt-4o-mini");
		assertThat(new OpenAiProperties(KEY, null, null).toString()).doesNotContain(KEY);
	}

}
