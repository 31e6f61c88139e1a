package io.llmspell.run;

import io.llmspell.test.TestHttp;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After runs, {@code /actuator/prometheus} shows what they did, tagged by spell and
 * status.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "llmspell.spells.dir=src/test/resources/ops-spells", "llmspell.llm.mock.latency=20ms",
				"logging.level.io.llmspell.run.RunService=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class RunMetricsTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = TestHttp.webTestClient(port).responseTimeout(Duration.ofSeconds(20)).build();
	}

	@Test
	void aRunShowsUpOnPrometheusWithItsSpellStatusCallbacksAndEvents() {
		Map<String, Object> summary = runToTheEnd("callbacks");
		assertThat(summary).containsEntry("status", "ok");

		String scrape = prometheus();
		assertThat(scrape)
			.containsPattern("llmspell_runs_seconds_count\\{spell=\"callbacks\",status=\"ok\"} 1(\\.0)?\\b")
			.containsPattern("llmspell_runs_seconds_bucket\\{spell=\"callbacks\",status=\"ok\",le=\"")
			.containsPattern("llmspell_callbacks_total\\{ok=\"true\",spell=\"callbacks\"} 1(\\.0)?\\b")
			.containsPattern("llmspell_callbacks_total\\{ok=\"false\",spell=\"callbacks\"} 1(\\.0)?\\b")
			.containsPattern("llmspell_events_total\\{event=\"start\"} \\d")
			.containsPattern("llmspell_events_total\\{event=\"callback\"} \\d")
			.containsPattern("llmspell_events_total\\{event=\"done\"} \\d")
			.containsPattern("llmspell_runs_active(\\{[^}]*})? 0(\\.0)?\\b")
			.containsPattern("llmspell_runs_queued(\\{[^}]*})? 0(\\.0)?\\b")
			.containsPattern("llmspell_eventloop_pending(\\{[^}]*})? 0(\\.0)?\\b")
			.containsPattern(
					"# HELP llmspell_runs_retained_bytes Bytes \\(estimated\\) the events of the finished runs")
			.containsPattern("llmspell_runs_retained_bytes(\\{[^}]*})? [1-9]");
	}

	@Test
	void aRunStoppedByALimitCountsAHitOfThatLimit() {
		assertThat(runToTheEnd("greedy")).containsEntry("status", "limit");

		assertThat(prometheus()).containsPattern("llmspell_limits_hits_total\\{limit=\"max-instructions\"} [1-9]")
			.containsPattern("llmspell_runs_seconds_count\\{spell=\"greedy\",status=\"limit\"} 1(\\.0)?\\b");
	}

	@Test
	void gaugesFollowRunningRunsAndTheirPendingAsyncOperations() {
		// three calls of 1.5 s each, pending at once; the gauges see them while the run
		// waits
		TestHttp.webClient(port)
			.post()
			.uri("/spells/waiting/run")
			.accept(MediaType.APPLICATION_JSON)
			.retrieve()
			.bodyToMono(String.class)
			.subscribe();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(registry.get("llmspell.runs.active").gauge().value()).isEqualTo(1);
			assertThat(registry.get("llmspell.eventloop.pending").gauge().value()).isEqualTo(3);
		});
	}

	@Test
	void logLinesOnARunsThreadCarryItsRunId(CapturedOutput output) {
		String runId = (String) runToTheEnd("callbacks").get("runId");

		await().atMost(Duration.ofSeconds(5))
			.until(() -> output.getOut().contains("[run " + runId + "] ") && output.getOut().contains("ended ok"));
		assertThat(output.getOut().lines().filter((line) -> line.contains("Run of 'callbacks' ended ok")))
			.anyMatch((line) -> line.contains("[run " + runId + "] "));
		assertThat(output.getOut()).doesNotContain("[run ] ");
	}

	private Map<String, Object> runToTheEnd(String spell) {
		return client.post()
			.uri("/spells/{name}/run", spell)
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	private String prometheus() {
		return client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}
