package io.llmspell.llm;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every HTTP provider must do against its API, played against WireMock: retries (and
 * none where none belong), timeouts, broken and malformed responses, cancellation,
 * metrics. Subclasses supply the provider and its wire format, and add the tests of its
 * exact requests.
 */
public abstract class ProviderContractTests {

	protected static final InFlightCounter counter = new InFlightCounter();

	@RegisterExtension
	protected static final WireMockExtension wm = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().extensions(counter))
		.build();

	/** Short backoffs keep the tests fast; Retry-After is not shortened. */
	protected static final LlmProperties FAST = LlmProperties.defaults()
		.withRetries(2, Duration.ofMillis(20), Duration.ofMillis(100))
		.withTimeout(Duration.ofSeconds(5));

	protected SimpleMeterRegistry registry;

	private final List<AutoCloseable> toClose = new java.util.ArrayList<>();

	@BeforeEach
	void resetCounter() {
		counter.reset();
		registry = new SimpleMeterRegistry();
	}

	@AfterEach
	void closeProviders() throws Exception {
		for (AutoCloseable closeable : toClose) {
			closeable.close();
		}
	}

	// --- what a subclass supplies
	// ------------------------------------------------------------

	/** The provider, aimed at {@code wm}, with {@link #apiKey()} and these settings. */
	protected abstract LlmProvider create(LlmProperties properties);

	protected abstract String apiKey();

	/** The path chat and stream requests go to. */
	protected abstract String chatPath();

	/** A successful non-streamed answer. */
	protected abstract String chatBody(String text, String model, long promptTokens, long completionTokens);

	/** A successful streamed answer of the given pieces, with usage. */
	protected abstract String streamBody(List<String> pieces, String model, long promptTokens, long completionTokens);

	/** A stream that delivers {@code piece} and then ends without its proper end. */
	protected abstract String truncatedStreamBody(String piece);

	/** An error body in the provider's format. */
	protected abstract String errorBody(String type, String message);

	// --- helpers
	// -------------------------------------------------------------------------------

	protected LlmProvider provider(LlmProperties properties) {
		LlmProvider provider = create(properties);
		toClose.add((AutoCloseable) provider);
		return provider;
	}

	protected static ChatRequest ask(String prompt) {
		return new ChatRequest("test-model", List.of(ChatMessage.user(prompt)), null, null, null, null);
	}

	protected static ChatRequest ask(String prompt, Duration timeout) {
		return new ChatRequest("test-model", List.of(ChatMessage.user(prompt)), null, null, null, timeout);
	}

	protected MappingBuilder chatStub() {
		return post(urlPathEqualTo(chatPath()));
	}

	protected static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	protected static ResponseDefinitionBuilder sse(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
	}

	/** Two stubs: the first request gets {@code first}, every later one {@code then}. */
	protected void firstThen(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
		wm.stubFor(chatStub().inScenario("retry")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(first)
			.willSetStateTo("recovered"));
		wm.stubFor(chatStub().inScenario("retry").whenScenarioStateIs("recovered").willReturn(then));
	}

	protected int chatRequests() {
		return wm.findAll(postRequestedFor(urlPathEqualTo(chatPath()))).size();
	}

	protected LlmException llmError(Throwable error) {
		assertThat(error).isInstanceOf(LlmException.class);
		return (LlmException) error;
	}

	protected long requests(String outcome) {
		Timer timer = registry.find(LlmMetrics.REQUESTS).tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	protected double retries(String reason) {
		var retries = registry.find(LlmMetrics.RETRIES).tag("reason", reason).counter();
		return (retries != null) ? retries.count() : 0;
	}

	protected double tokens(String type) {
		var tokens = registry.find(LlmMetrics.TOKENS).tag("type", type).counter();
		return (tokens != null) ? tokens.count() : 0;
	}

	// --- the contract
	// ----------------------------------------------------------------------------

	@Test
	void plainAnswerWithUsageAndMetrics() {
		wm.stubFor(chatStub().willReturn(json(200, chatBody("Hello there", "served-model", 12, 3))));
		LlmProvider provider = provider(FAST);

		StepVerifier.create(provider.chat(ask("hi"))).assertNext((response) -> {
			assertThat(response.text()).isEqualTo("Hello there");
			assertThat(response.model()).isEqualTo("served-model");
			assertThat(response.usage()).isEqualTo(new Usage(12, 3));
		}).verifyComplete();

		assertThat(requests("success")).isEqualTo(1);
		assertThat(registry.find(LlmMetrics.REQUESTS).tags("provider", provider.name(), "model", "test-model").timer())
			.isNotNull();
		assertThat(tokens("prompt")).isEqualTo(12);
		assertThat(tokens("completion")).isEqualTo(3);
	}

	@Test
	void streamedAnswerEndsWithUsageChunk() {
		wm.stubFor(chatStub().willReturn(sse(streamBody(List.of("Hel", "lo", "!"), "served-model", 20, 5))));
		LlmProvider provider = provider(FAST);

		StepVerifier.create(provider.stream(ask("hi")))
			.assertNext((chunk) -> assertThat(chunk.text()).isEqualTo("Hel"))
			.assertNext((chunk) -> assertThat(chunk.text()).isEqualTo("lo"))
			.assertNext((chunk) -> assertThat(chunk.text()).isEqualTo("!"))
			.assertNext((chunk) -> {
				assertThat(chunk.hasText()).isFalse();
				assertThat(chunk.usage()).isEqualTo(new Usage(20, 5));
				assertThat(chunk.model()).isEqualTo("served-model");
			})
			.verifyComplete();
		assertThat(requests("success")).isEqualTo(1);
		assertThat(tokens("prompt")).isEqualTo(20);
		assertThat(tokens("completion")).isEqualTo(5);
	}

	@Test
	void errorBodyBecomesShortClearException() {
		wm.stubFor(chatStub().willReturn(json(400, errorBody("invalid_request_error", "messages: field required"))));
		LlmProvider provider = provider(FAST);

		StepVerifier.create(provider.chat(ask("hi"))).expectErrorSatisfies((error) -> {
			LlmException llm = llmError(error);
			assertThat(llm.status()).isEqualTo(400);
			assertThat(llm.provider()).isEqualTo(provider.name());
			assertThat(llm.getMessage()).isEqualTo(provider.name() + ": 400 messages: field required");
		}).verify();
		assertThat(chatRequests()).isEqualTo(1);
		assertThat(requests("error")).isEqualTo(1);
	}

	@Test
	void anErrorBodyThatIsNoProviderErrorIsNotShown() {
		String huge = "x".repeat(5000);
		wm.stubFor(chatStub().willReturn(aResponse().withStatus(404).withBody("<html>" + huge + "</html>")));

		StepVerifier.create(provider(FAST).chat(ask("hi"))).expectErrorSatisfies((error) -> {
			assertThat(llmError(error).status()).isEqualTo(404);
			// a proxy's page is no provider message: only the status is shown
			assertThat(error.getMessage()).isEqualTo(llmError(error).provider() + ": 404 Not Found");
		}).verify();
		assertThat(chatRequests()).isEqualTo(1);
	}

	@Test
	void rateLimitedCallWaitsForRetryAfterThenSucceeds() {
		firstThen(json(429, errorBody("rate_limit_error", "Rate limit reached")).withHeader("Retry-After", "1"),
				json(200, chatBody("finally", "m", 1, 1)));
		LlmProvider provider = provider(FAST);

		Duration took = StepVerifier.create(provider.chat(ask("hi")))
			.assertNext((response) -> assertThat(response.text()).isEqualTo("finally"))
			.verifyComplete();

		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		List<ServeEvent> events = wm.getAllServeEvents()
			.stream()
			.sorted(Comparator.comparing((ServeEvent event) -> event.getRequest().getLoggedDate()))
			.toList();
		assertThat(events).hasSize(2);
		long gap = events.get(1).getRequest().getLoggedDate().getTime()
				- events.get(0).getRequest().getLoggedDate().getTime();
		assertThat(gap).as("server-side gap between the attempts").isGreaterThanOrEqualTo(900);
		assertThat(retries("429")).isEqualTo(1);
	}

	@Test
	void serverErrorIsRetried() {
		firstThen(json(500, errorBody("api_error", "Internal server error")), json(200, chatBody("ok", "m", 1, 1)));

		StepVerifier.create(provider(FAST).chat(ask("hi")))
			.assertNext((response) -> assertThat(response.text()).isEqualTo("ok"))
			.verifyComplete();
		assertThat(chatRequests()).isEqualTo(2);
		assertThat(retries("500")).isEqualTo(1);
	}

	@Test
	void retriesStopAfterMaxRetries() {
		wm.stubFor(chatStub().willReturn(json(503, errorBody("api_error", "Service unavailable"))));

		StepVerifier.create(provider(FAST).chat(ask("hi"))).expectErrorSatisfies((error) -> {
			assertThat(llmError(error).status()).isEqualTo(503);
			assertThat(error.getMessage()).contains("Service unavailable");
		}).verify();
		assertThat(chatRequests()).isEqualTo(3);
		assertThat(retries("503")).isEqualTo(2);
	}

	@Test
	void connectionErrorsAreRetried() {
		firstThen(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), json(200, chatBody("ok", "m", 1, 1)));

		StepVerifier.create(provider(FAST).chat(ask("hi")))
			.assertNext((response) -> assertThat(response.text()).isEqualTo("ok"))
			.verifyComplete();
		assertThat(chatRequests()).isEqualTo(2);
		assertThat(retries("connection")).isEqualTo(1);
	}

	@Test
	void unauthorizedIsNotRetriedAndNeverShowsTheKey() {
		wm.stubFor(chatStub()
			.willReturn(json(401, errorBody("authentication_error", "Incorrect API key provided: " + apiKey() + "."))));
		LlmProvider provider = provider(FAST);

		StepVerifier.create(provider.chat(ask("hi"))).expectErrorSatisfies((error) -> {
			LlmException llm = llmError(error);
			assertThat(llm.status()).isEqualTo(401);
			assertThat(llm.getMessage()).contains("Incorrect API key provided").doesNotContain(apiKey());
		}).verify();
		assertThat(chatRequests()).isEqualTo(1);
		assertThat(retries("401")).isZero();
	}

	@Test
	void streamCutOffMidwayFailsAndIsNotRetried() {
		wm.stubFor(chatStub().willReturn(sse(truncatedStreamBody("partial"))));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.assertNext((chunk) -> assertThat(chunk.text()).isEqualTo("partial"))
			.expectErrorSatisfies((error) -> assertThat(llmError(error).getMessage()).contains("incomplete"))
			.verify(Duration.ofSeconds(5));
		// a chunk had reached the caller: trying again would repeat it
		assertThat(chatRequests()).isEqualTo(1);
	}

	@Test
	void streamBrokenBeforeTheFirstChunkIsRetried() {
		firstThen(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK), sse(streamBody(List.of("fine"), "m", 1, 1)));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.assertNext((chunk) -> assertThat(chunk.text()).isEqualTo("fine"))
			.assertNext((chunk) -> assertThat(chunk.usage()).isEqualTo(new Usage(1, 1)))
			.verifyComplete();
		assertThat(chatRequests()).isEqualTo(2);
	}

	@Test
	void brokenConnectionFailsInsteadOfHanging() {
		wm.stubFor(chatStub().willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.expectErrorSatisfies((error) -> assertThat(llmError(error).getMessage()).contains("connection"))
			.verify(Duration.ofSeconds(5));
		assertThat(chatRequests()).isEqualTo(3);
	}

	@Test
	void malformedJsonIsAClearError() {
		wm.stubFor(chatStub().willReturn(json(200, "{\"choices\": [ {\"message\": ")));

		StepVerifier.create(provider(FAST).chat(ask("hi")))
			.expectErrorSatisfies((error) -> assertThat(llmError(error).getMessage()).contains("malformed response"))
			.verify();
		assertThat(chatRequests()).isEqualTo(1);
	}

	@Test
	void malformedStreamEventIsAClearError() {
		wm.stubFor(chatStub().willReturn(sse("data: {not json\n\n")));

		StepVerifier.create(provider(FAST).stream(ask("hi")))
			.expectErrorSatisfies((error) -> assertThat(llmError(error).getMessage()).contains("malformed response"))
			.verify();
		assertThat(chatRequests()).isEqualTo(1);
	}

	@Test
	void responseSlowerThanTheTimeoutFails() {
		wm.stubFor(chatStub().willReturn(json(200, chatBody("late", "m", 1, 1)).withFixedDelay(1000)));

		Duration took = StepVerifier.create(provider(FAST).chat(ask("hi", Duration.ofMillis(300))))
			.expectErrorSatisfies((error) -> {
				assertThat(llmError(error).getMessage())
					.isEqualTo(llmError(error).provider() + ": timeout: no complete answer within 300ms");
				assertThat(llmError(error).status()).isZero();
			})
			.verify();
		assertThat(took).isLessThan(Duration.ofMillis(900));
		assertThat(requests("timeout")).isEqualTo(1);
		assertThat(chatRequests()).isEqualTo(1);
	}

	@Test
	void configuredTimeoutAppliesToStreams() {
		wm.stubFor(chatStub().willReturn(sse(streamBody(List.of("late"), "m", 1, 1)).withFixedDelay(1000)));

		StepVerifier.create(provider(FAST.withTimeout(Duration.ofMillis(300))).stream(ask("hi")))
			.expectErrorSatisfies((error) -> assertThat(llmError(error).getMessage())
				.contains("timeout: no complete answer within 300ms"))
			.verify(Duration.ofMillis(900));
	}

	@Test
	void cancellingAChatAbortsTheRequest() {
		assertCancellationAborts(false);
	}

	@Test
	void cancellingAStreamAbortsTheRequest() {
		assertCancellationAborts(true);
	}

	private void assertCancellationAborts(boolean stream) {
		// one slot only: a call left hanging would block the next one
		LlmProvider provider = provider(FAST.withLimits(1, 10));
		ResponseDefinitionBuilder slow = stream ? sse(streamBody(List.of("slow"), "m", 1, 1))
				: json(200, chatBody("slow", "m", 1, 1));
		ResponseDefinitionBuilder fast = stream ? sse(streamBody(List.of("fast"), "m", 1, 1))
				: json(200, chatBody("fast", "m", 1, 1));
		wm.stubFor(chatStub().atPriority(2).willReturn(slow.withFixedDelay(1000)));
		wm.stubFor(chatStub().atPriority(1)
			.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("next call"))
			.willReturn(fast));

		AtomicReference<Object> received = new AtomicReference<>();
		Disposable call = (stream ? provider.stream(ask("hi")) : provider.chat(ask("hi")).flux())
			.subscribe(received::set, received::set);
		await().atMost(Duration.ofSeconds(3)).until(() -> counter.arrived() == 1);
		call.dispose();

		// the slot and the connection are free again at once: the next call does not wait
		// for the
		// slow answer
		Duration took = StepVerifier
			.create(stream ? provider.stream(ask("next call")).last() : provider.chat(ask("next call")))
			.expectNextCount(1)
			.verifyComplete();
		assertThat(took).isLessThan(Duration.ofMillis(600));

		// server side: long after the slow answer was due, it has still not been
		// delivered (its
		// connection was closed), and no retry came
		await().during(Duration.ofMillis(1200))
			// slack for a busy machine: the condition must still hold for 1.2 s on end
			.atMost(Duration.ofSeconds(6))
			.until(() -> counter.arrived() == 2 && counter.completed() == 1);
		assertThat(received.get()).isNull();
		assertThat(requests("cancelled")).isEqualTo(1);
		wm.verify(exactly(2), postRequestedFor(urlPathEqualTo(chatPath())));
	}

}
