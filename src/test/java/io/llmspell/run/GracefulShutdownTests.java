package io.llmspell.run;

import io.llmspell.test.TestHttp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.TestExecutionListeners.MergeMode;
import org.springframework.test.context.support.DependencyInjectionTestExecutionListener;
import org.springframework.test.context.support.DirtiesContextTestExecutionListener;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutting down with a run going: readiness goes DOWN, new runs get 503 with Retry-After,
 * and once the grace period is over the run is cancelled and its SSE stream ends with
 * {@code done} before the server stops.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "llmspell.spells.dir=src/test/resources/ops-spells", "llmspell.shutdown.grace-period=1s" })
@DirtiesContext
// The test closes its context itself: listeners that would use it after the test are left
// out.
@TestExecutionListeners(
		listeners = { DependencyInjectionTestExecutionListener.class, DirtiesContextTestExecutionListener.class },
		mergeMode = MergeMode.REPLACE_DEFAULTS)
class GracefulShutdownTests {

	private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	ApplicationAvailability availability;

	@Test
	void runningRunEndsCancelledWithItsStreamCompleteAndNewRunsAreRefusedMeanwhile() throws Exception {
		WebClient client = TestHttp.webClient(port);
		List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
		AtomicBoolean completed = new AtomicBoolean();
		client.post()
			.uri("/spells/slow/run")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(SSE)
			.subscribe(events::add, (error) -> {
			}, () -> completed.set(true));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> events.stream().anyMatch((event) -> "output".equals(event.event())));

		Thread closer = new Thread(context::close, "test-shutdown");
		closer.start();

		await().atMost(Duration.ofSeconds(5))
			.until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
		Refusal refusal = client.post()
			.uri("/spells/slow/run")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Refusal(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), body)))
			.block(Duration.ofSeconds(5));
		assertThat(refusal.status()).isEqualTo(503);
		assertThat(refusal.retryAfter()).isNotBlank();
		assertThat(refusal.body()).contains("shutting down");
		assertThat(completed).as("the stream is still open during the grace period").isFalse();

		await().atMost(Duration.ofSeconds(10)).untilTrue(completed);
		ServerSentEvent<Map<String, Object>> last = events.get(events.size() - 1);
		assertThat(last.event()).isEqualTo("done");
		assertThat(last.data()).containsEntry("status", "cancelled");
		assertThat(events).anySatisfy((event) -> {
			assertThat(event.event()).isEqualTo("error");
			assertThat(event.data()).containsEntry("kind", "cancelled")
				.containsEntry("message", "the server is shutting down");
		});
		closer.join(Duration.ofSeconds(10).toMillis());
		assertThat(closer.isAlive()).isFalse();
		assertThat(context.isActive()).isFalse();
	}

	private record Refusal(int status, String retryAfter, String body) {
	}

}
