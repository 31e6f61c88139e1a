package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.llmspell.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators get: a span per run and per LLM call (exported here to the SDK's
 * in-memory exporter), the trace id and a summary line in the run's log, build and git
 * details on /actuator/info, histograms that reach past the run timeout, and HELP text on
 * every own metric.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "llmspell.spells.dir=src/test/resources/ops-spells", "llmspell.llm.provider=mock",
				"llmspell.llm.mock.latency=10ms", "management.tracing.sampling.probability=1.0",
				"management.tracing.export.enabled=true",
				"management.opentelemetry.tracing.export.schedule-delay=100ms" })
@Import(ObservabilityTests.Spans.class)
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTests {

	private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter spans;

	@Test
	void aRunIsASpanWithItsLlmCallsAsChildrenAndTheRunLogCarriesTheTraceId(CapturedOutput output) {
		String runId = client().post()
			.uri("/spells/callbacks/run")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(java.util.Map.class)
			.returnResult()
			.getResponseBody()
			.get("runId")
			.toString();

		await().atMost(Duration.ofSeconds(20))
			.until(() -> spans.getFinishedSpanItems()
				.stream()
				.anyMatch((span) -> runId.equals(span.getAttributes().get(AttributeKey.stringKey("llmspell.run.id")))));
		List<SpanData> finished = spans.getFinishedSpanItems();
		SpanData run = finished.stream()
			.filter((span) -> runId.equals(span.getAttributes().get(AttributeKey.stringKey("llmspell.run.id"))))
			.findFirst()
			.orElseThrow();
		assertThat(run.getName()).isEqualTo("run callbacks");
		assertThat(run.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("ok");
		assertThat(run.getAttributes().get(AttributeKey.stringKey("llmspell.run.calls"))).isEqualTo("2");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> spans.getFinishedSpanItems()
				.stream()
				.filter((span) -> span.getParentSpanId().equals(run.getSpanId())
						&& "mock".equals(span.getAttributes().get(SYSTEM)))
				.count() == 2);
		List<SpanData> calls = spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getParentSpanId().equals(run.getSpanId()))
			.toList();
		assertThat(calls).allSatisfy((call) -> {
			assertThat(call.getTraceId()).isEqualTo(run.getTraceId());
			assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isNotBlank();
			assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
		});
		assertThat(calls).anySatisfy(
				(call) -> assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.usage.output_tokens")))
					.isNotBlank());
		// the run is a child of the HTTP request that started it
		assertThat(finished).anySatisfy((span) -> {
			assertThat(span.getSpanId()).isEqualTo(run.getParentSpanId());
			assertThat(span.getName()).startsWith("http post");
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("run finished id=" + runId));
		String line = output.getOut()
			.lines()
			.filter((l) -> l.contains("run finished id=" + runId))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("spell=callbacks status=ok", "calls=2", "limit=-",
				"[trace " + run.getTraceId() + "]");
	}

	@Test
	void infoHasBuildAndGitDetails() {
		client().get()
			.uri("/actuator/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.build.artifact")
			.isEqualTo("llmspell")
			.jsonPath("$.build.version")
			.exists()
			.jsonPath("$.java.version")
			.exists();
	}

	@Test
	void everyOwnMetricHasHelpAndTheHistogramsReachPastTheRunTimeout() {
		client().post()
			.uri("/spells/callbacks/run")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk();
		String metrics = client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		Set<String> families = names(metrics, "^# TYPE (llmspell_\\S+) ");
		Set<String> helped = names(metrics, "^# HELP (llmspell_\\S+) \\S");
		assertThat(families).contains("llmspell_runs_seconds", "llmspell_llm_call_seconds", "llmspell_events_total");
		assertThat(helped).containsAll(families);
		assertThat(families).doesNotContain("llmspell_run_seconds");
		assertThat(largestBucket(metrics, "llmspell_runs_seconds")).isGreaterThan(60);
		assertThat(largestBucket(metrics, "llmspell_llm_call_seconds")).isGreaterThan(60);
	}

	/** The largest finite bucket bound of a histogram, in seconds. */
	private static double largestBucket(String text, String name) {
		Matcher matcher = Pattern.compile("^" + name + "_bucket\\{[^}]*le=\"([0-9.E]+)\"", Pattern.MULTILINE)
			.matcher(text);
		return matcher.results().mapToDouble((result) -> Double.parseDouble(result.group(1))).max().orElse(0);
	}

	private static Set<String> names(String text, String regex) {
		Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
		return matcher.results().map((result) -> result.group(1)).collect(Collectors.toSet());
	}

	private WebTestClient client() {
		return TestHttp.webTestClient(port).responseTimeout(Duration.ofSeconds(30)).build();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Spans {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
