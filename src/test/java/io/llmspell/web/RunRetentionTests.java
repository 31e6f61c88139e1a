package io.llmspell.web;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.llmspell.run.RunRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finished runs are kept as configured, then answer 404; running runs are never evicted.
 */
@TestPropertySource(properties = { "llmspell.runs.max-retained=2", "llmspell.runs.retention-time=3s",
		"llmspell.runs.sweep-interval=200ms" })
class RunRetentionTests extends RunsServerTests {

	@Autowired
	RunRegistry registry;

	@Test
	void finishedRunsAreEvictedPastTheCountThenPastTheTimeButRunningOnesStay() {
		String running = startRun("ticker", "count=100&delay=0.2");
		String first = finishedRun();
		String second = finishedRun();
		String third = finishedRun();

		// past max-retained=2, the oldest finished run goes; the older running one stays
		assertUnknown(first);
		assertKnown(second, "finished");
		assertKnown(third, "finished");
		assertKnown(running, "running");
		assertThat(registry.retainedCount()).isEqualTo(2);

		// past retention-time=3s the scheduled sweep drops the rest, with no request to
		// trigger it
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.retainedCount() == 0);
		assertUnknown(second);
		assertUnknown(third);
		assertKnown(running, "running");

		http.delete().uri("/runs/{id}", running).exchange().expectStatus().isAccepted();
		await().atMost(Duration.ofSeconds(2)).until(() -> registry.retainedCount() == 1);
		assertKnown(running, "finished");
	}

	private String finishedRun() {
		String runId = startRun("ticker", "count=1&delay=0");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertKnown(runId, "finished"));
		return runId;
	}

	private void assertKnown(String runId, String state) {
		http.get()
			.uri("/runs/{id}", runId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo(state);
	}

	private void assertUnknown(String runId) {
		for (WebTestClient.RequestHeadersSpec<?> request : List.of(http.get().uri("/runs/{id}", runId),
				http.get().uri("/runs/{id}/events", runId), http.delete().uri("/runs/{id}", runId))) {
			request.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.title")
				.isEqualTo("Unknown run")
				.jsonPath("$.runId")
				.isEqualTo(runId);
		}
	}

}
