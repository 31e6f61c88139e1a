package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;

import io.llmspell.run.RunService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Past its running and queued runs, the server answers 429 with Retry-After, and
 * recovers.
 */
@TestPropertySource(properties = { "llmspell.limits.max-concurrent-runs=2", "llmspell.limits.max-queued-runs=1" })
class AdmissionTests extends ServerTests {

	@Autowired
	RunService runs;

	@Test
	void aFullServerAnswers429AndRecovers() {
		// three long runs: two running, one queued
		List<Disposable> streams = Flux.range(1, 3)
			.map((i) -> client.post()
				.uri("/spells/ticker/run?count=40&interval=0.05")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchange()
				.returnResult(SSE)
				.getResponseBody()
				.subscribe())
			.collectList()
			.block();
		await().atMost(Duration.ofSeconds(10)).until(() -> runs.runningCount() == 2);

		client.post()
			.uri("/spells/hello/run")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(429);

		// the queued one runs once a slot frees up, and then the server takes new runs
		// again
		await().atMost(Duration.ofSeconds(20)).until(() -> runs.runningCount() == 0);
		List<ServerSentEvent<Map<String, Object>>> events = runSse("/spells/hello/run?name=Again");
		assertThat(data(events, "done")).containsEntry("status", "ok");
		streams.forEach(Disposable::dispose);
	}

}
