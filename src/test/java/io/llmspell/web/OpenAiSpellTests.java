package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import io.llmspell.llm.InFlightCounter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Spells calling a real OpenAI-compatible HTTP peer (WireMock), end to end. */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "llmspell.llm.max-concurrent=5", "llmspell.llm.max-retries=0",
		"logging.level.io.llmspell=DEBUG", "logging.level.org.springframework.web.reactive.function.client=DEBUG" })
class OpenAiSpellTests extends ServerTests {

	static final InFlightCounter counter = new InFlightCounter();

	static final WireMockServer upstream = new WireMockServer(
			wireMockConfig().dynamicPort().containerThreads(40).extensions(counter));

	static {
		upstream.start();
	}

	@DynamicPropertySource
	static void openAi(DynamicPropertyRegistry registry) {
		registry.add("llmspell.llm.openai.base-url", () -> upstream.baseUrl() + "/v1");
		registry.add("llmspell.llm.openai.api-key", () -> "sk-test-secret-key");
	}

	@AfterAll
	static void stop() {
		upstream.stop();
	}

	@BeforeEach
	void reset() {
		upstream.resetAll();
		counter.reset();
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(5).willReturn(okJson("""
				{"model":"gpt-test","choices":[{"message":{"role":"assistant","content":"plain answer"}}],
				 "usage":{"prompt_tokens":11,"completion_tokens":7}}""")));
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing("\"stream\":true"))
			.willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody("""
					data: {"choices":[{"delta":{"content":"Hel"}}]}

					data: {"choices":[{"delta":{"content":"lo"}}]}

					data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}

					data: [DONE]

					""")));
	}

	private List<ServerSentEvent<Map<String, Object>>> runWithOpenAi(String spell) {
		return runSse("/spells/" + spell + "/run", "openai");
	}

	@Test
	void usageReachesTheCallbackInfoAndTheDoneTotals() {
		var events = runWithOpenAi("llm-usage");
		assertThat(data(events, "start")).containsEntry("provider", "openai").containsEntry("model", "gpt-4o-mini");
		assertThat(events.stream().filter((e) -> "output".equals(e.event())).map((e) -> e.data().get("text")))
			.containsExactly("plain answer\topenai\tgpt-test\t11\t7", "nil\tHel|lo");
		assertThat(events.stream().filter((e) -> "chunk".equals(e.event())).map((e) -> e.data().get("text")))
			.containsExactly("Hel", "lo");
		assertThat(data(events, "callback")).containsEntry("provider", "openai")
			.containsEntry("usage", Map.of("promptTokens", 11, "completionTokens", 7));
		assertThat(data(events, "done")).containsEntry("status", "ok")
			.containsEntry("usage", Map.of("calls", 2, "promptTokens", 14, "completionTokens", 9));
	}

	@Test
	void noEventNorLogLineCarriesTheApiKey(CapturedOutput output) {
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
			.willReturn(aResponse().withStatus(401)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-test-secret-key\"}}")));
		String body = client.post()
			.uri("/spells/llm-usage/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("options", Map.of("provider", "openai")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("401").contains("Incorrect API key").doesNotContain("sk-test-secret-key");
		assertThat(output.getAll()).doesNotContain("sk-test-secret-key");
	}

	@Test
	void llmCancelAbortsTheRequestAtTheUpstream() {
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing("slow one"))
			.willReturn(okJson("{\"choices\":[{\"message\":{\"content\":\"late\"}}]}")
				.withTransformerParameter(InFlightCounter.HOLD_MS, 1500)));
		var events = runWithOpenAi("llm-cancel");
		assertThat(events.stream().filter((e) -> "output".equals(e.event())).map((e) -> e.data().get("text")))
			.containsExactly("cancelled\ttrue\t0");
		assertThat(names(events)).doesNotContain("callback");
		assertThat(counter.arrived()).isEqualTo(1);
		// the connection was closed: WireMock never completes the response
		await().atMost(Duration.ofSeconds(5)).until(() -> counter.inFlight() == 0);
		assertThat(counter.completed()).isZero();
	}

	@Test
	void aDisconnectedClientAbortsTheRequestAtTheUpstream() {
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing("slow one"))
			.willReturn(okJson("{\"choices\":[{\"message\":{\"content\":\"late\"}}]}")
				.withTransformerParameter(InFlightCounter.HOLD_MS, 1500)));
		var stream = client.post()
			.uri("/spells/llm-slow/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("options", Map.of("provider", "openai")))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(SSE)
			.getResponseBody()
			.subscribe();
		await().atMost(Duration.ofSeconds(10)).until(() -> counter.arrived() == 1);
		stream.dispose(); // the client goes away while the upstream is answering
		await().atMost(Duration.ofSeconds(5)).until(() -> counter.inFlight() == 0);
		assertThat(counter.completed()).isZero();
	}

	@Test
	void aFloodOf200CallsNeverHasMoreThanTheBoundInFlight() {
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing("flood"))
			.willReturn(okJson("{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}")
				.withTransformerParameter(InFlightCounter.HOLD_MS, 30)));
		var events = runWithOpenAi("llm-flood");
		assertThat(data(events, "done")).containsEntry("status", "ok")
			.containsEntry("result", Map.of("ok", 200, "failed", 0));
		assertThat(counter.arrived()).isEqualTo(200);
		assertThat(counter.max()).isBetween(2, 5);
	}

}
