package io.llmspell.web;

import io.llmspell.test.TestHttp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server on a random port, serving the spells of
 * {@code src/test/resources/spells-runs} with a counting mock provider ({@code probe},
 * the default). Subclasses that add no configuration share one server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ProbeProvider.Configuration.class)
@TestPropertySource(properties = { "llmspell.spells.dir=src/test/resources/spells-runs",
		"llmspell.spells.refresh-interval=0s", "llmspell.llm.mock.latency=200ms", "llmspell.http.retry=300ms" })
abstract class RunsServerTests {

	static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE = new ParameterizedTypeReference<>() {
	};

	static final Duration RETRY = Duration.ofMillis(300);

	@LocalServerPort
	int port;

	@Autowired
	WebTestClient http;

	@Autowired
	ProbeProvider probe;

	WebClient client() {
		return TestHttp.webClient(port);
	}

	/**
	 * {@code POST /spells/{spell}/runs?query}: the new run's id, after checking the 202
	 * and its Location.
	 */
	String startRun(String spell, String query) {
		Map<String, Object> body = http.post()
			.uri("/spells/" + spell + "/runs" + (query.isEmpty() ? "" : "?" + query))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.ACCEPTED)
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		String runId = (String) body.get("runId");
		assertThat(runId).isNotBlank();
		return runId;
	}

	/**
	 * {@code GET /runs/{id}/events}, with {@code Last-Event-ID} when {@code lastEventId}
	 * is not null; no heartbeats.
	 */
	Flux<ServerSentEvent<Map<String, Object>>> watch(String runId, Long lastEventId) {
		return client().get().uri("/runs/{id}/events", runId).accept(MediaType.TEXT_EVENT_STREAM).headers((headers) -> {
			if (lastEventId != null) {
				headers.set("Last-Event-ID", String.valueOf(lastEventId));
			}
		}).retrieve().bodyToFlux(SSE).filter((event) -> event.event() != null);
	}

	/** The whole stream, to its end; fails if it takes longer than {@code within}. */
	List<ServerSentEvent<Map<String, Object>>> all(Flux<ServerSentEvent<Map<String, Object>>> events, Duration within) {
		return events.collectList().block(within);
	}

	static List<Long> ids(List<ServerSentEvent<Map<String, Object>>> events) {
		return events.stream().map((event) -> Long.parseLong(event.id())).toList();
	}

	static List<String> names(List<ServerSentEvent<Map<String, Object>>> events) {
		return events.stream().map(ServerSentEvent::event).toList();
	}

	static Map<String, Object> last(List<ServerSentEvent<Map<String, Object>>> events) {
		return events.get(events.size() - 1).data();
	}

}
