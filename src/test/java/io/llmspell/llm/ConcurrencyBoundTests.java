package io.llmspell.llm;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.llmspell.llm.openai.OpenAiProperties;
import io.llmspell.llm.openai.OpenAiProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The per-provider bound on concurrent requests, observed on the server. */
class ConcurrencyBoundTests {

	static final InFlightCounter counter = new InFlightCounter();

	@RegisterExtension
	static final WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().containerThreads(40).extensions(counter))
		.build();

	static final String ANSWER = """
			{"model":"m","choices":[{"message":{"role":"assistant","content":"ok"}}],
			 "usage":{"prompt_tokens":1,"completion_tokens":1}}""";

	private OpenAiProvider provider;

	@BeforeEach
	void reset() {
		counter.reset();
	}

	@AfterEach
	void close() {
		if (provider != null) {
			provider.close();
		}
	}

	private OpenAiProvider provider(int maxConcurrent, int maxQueued) {
		provider = new OpenAiProvider(new OpenAiProperties("sk-x", wm.baseUrl(), null),
				LlmProperties.defaults().withLimits(maxConcurrent, maxQueued), WebClient.builder(),
				new SimpleMeterRegistry());
		return provider;
	}

	private static ChatRequest ask(String prompt) {
		return new ChatRequest("m", List.of(ChatMessage.user(prompt)), null, null, null, null);
	}

	/** The server takes {@code holdMs} for each answer. */
	private static void slowServer(int holdMs) {
		wm.stubFor(post(urlPathEqualTo("/chat/completions")).atPriority(2)
			.willReturn(okJson(ANSWER).withTransformerParameter(InFlightCounter.HOLD_MS, holdMs)));
	}

	@Test
	void aFloodNeverHasMoreThanMaxConcurrentInFlight() {
		slowServer(25);
		OpenAiProvider provider = provider(5, 1000);

		StepVerifier.create(Flux.range(0, 200).flatMap((i) -> provider.chat(ask("call " + i)), 200).count())
			.expectNext(200L)
			.verifyComplete();

		assertThat(counter.arrived()).isEqualTo(200);
		assertThat(counter.max()).as("most requests in flight at the server at once").isEqualTo(5);
	}

	@Test
	void aFullQueueFailsAtOnceAndCancelledWaitersLeaveIt() {
		slowServer(1000);
		wm.stubFor(post(urlPathEqualTo("/chat/completions")).atPriority(1)
			.withRequestBody(containing("quick"))
			.willReturn(okJson(ANSWER)));
		OpenAiProvider provider = provider(1, 2);

		// one running, two waiting
		List<Disposable> calls = List.of(provider.chat(ask("1")).subscribe(), provider.chat(ask("2")).subscribe(),
				provider.chat(ask("3")).subscribe());
		await().atMost(Duration.ofSeconds(3)).until(() -> counter.arrived() == 1);

		Duration took = StepVerifier.create(provider.chat(ask("4")))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(LlmException.class)
				.hasMessage("openai: too many queued requests (limit 2)"))
			.verify();
		assertThat(took).isLessThan(Duration.ofMillis(200));

		// the waiters give up: the queue empties and nothing they asked for reaches the
		// server
		calls.get(1).dispose();
		calls.get(2).dispose();
		calls.get(0).dispose();
		StepVerifier.create(provider.chat(ask("quick")))
			.expectNextMatches((response) -> response.text().equals("ok"))
			.verifyComplete();
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> counter.arrived() == 2);
	}

}
