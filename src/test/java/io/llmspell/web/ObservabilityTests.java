package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
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

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators get: a span per run, per LLM call, per tool call and per http request
 * (exported here to the SDK's in-memory exporter), the trace id and a summary line in the
 * run's log, build and git details on /actuator/info, histograms that reach past the run
 * timeout, and HELP text on every own metric.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "llmspell.spells.dir=src/test/resources/ops-spells", "llmspell.llm.provider=mock",
				"llmspell.llm.mock.latency=10ms", "management.tracing.sampling.probability=1.0",
				"management.tracing.export.enabled=true",
				"management.opentelemetry.tracing.export.schedule-delay=100ms", "llmspell.http.allow=127.0.0.1:*" })
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
	@SuppressWarnings("unchecked")
	void toolCallsAndHttpRequestsAreSpansUnderTheRunOrTheToolThatMadeThem() {
		String base = "http://127.0.0.1:" + port;
		Map<?, ?> result = client().post()
			.uri((uri) -> uri.path("/spells/traced/run").queryParam("base", base).build())
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		String runId = result.get("runId").toString();
		assertThat((List<Object>) result.get("output")).as("%s", result)
			.contains("404", "http: host 'elsewhere.invalid:80' is not allowed (llmspell.http.allow)");

		SpanData run = awaitSpan((span) -> runId.equals(span.getAttributes().get(stringKey("llmspell.run.id"))));
		SpanData health = awaitSpan((span) -> "execute_tool read_health".equals(span.getName()));
		SpanData broken = awaitSpan((span) -> "execute_tool broken".equals(span.getName()));
		assertThat(List.of(health, broken)).allSatisfy((tool) -> {
			assertThat(tool.getParentSpanId()).isEqualTo(run.getSpanId());
			assertThat(tool.getAttributes().get(stringKey("gen_ai.operation.name"))).isEqualTo("execute_tool");
			assertThat(tool.getAttributes().get(stringKey("gen_ai.tool.call.id"))).startsWith("mock_call_");
		});
		assertThat(health.getAttributes().get(stringKey("gen_ai.tool.name"))).isEqualTo("read_health");
		assertThat(health.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
		assertThat(broken.getAttributes().get(stringKey("gen_ai.tool.name"))).isEqualTo("broken");
		assertThat(broken.getAttributes().get(stringKey("error.type"))).isEqualTo("tool_error");
		assertThat(broken.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(broken.getStatus().getDescription()).contains("broken on purpose");

		// the tool's request is the tool's child; the spell's own are the run's
		List<SpanData> requests = awaitSpans(
				(span) -> span.getKind() == SpanKind.CLIENT && span.getTraceId().equals(run.getTraceId()), 3);
		SpanData fromTool = only(requests, "200");
		assertThat(fromTool.getParentSpanId()).isEqualTo(health.getSpanId());
		assertThat(fromTool.getName()).isEqualTo("GET");
		assertThat(fromTool.getAttributes().get(stringKey("http.request.method"))).isEqualTo("GET");
		assertThat(fromTool.getAttributes().get(stringKey("server.address"))).isEqualTo("127.0.0.1");
		assertThat(fromTool.getAttributes().get(stringKey("server.port"))).isEqualTo(String.valueOf(port));
		assertThat(fromTool.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
		SpanData missing = only(requests, "404");
		assertThat(missing.getParentSpanId()).isEqualTo(run.getSpanId());
		assertThat(missing.getAttributes().get(stringKey("error.type"))).isEqualTo("404");
		assertThat(missing.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		SpanData refused = only(requests, null);
		assertThat(refused.getParentSpanId()).isEqualTo(run.getSpanId());
		assertThat(refused.getAttributes().get(stringKey("server.address"))).isEqualTo("elsewhere.invalid");
		assertThat(refused.getAttributes().get(stringKey("server.port"))).isEqualTo("80");
		assertThat(refused.getAttributes().get(stringKey("error.type"))).isEqualTo("refused");
		assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

		// the tool calls are metered by outcome; the requests only once, as before
		String metrics = client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).contains(
				"llmspell_tool_call_seconds_count{error=\"ToolFailure\",gen_ai_operation_name=\"execute_tool\",outcome=\"error\"}")
			.contains("llmspell_http_outbound_requests_seconds_count")
			.doesNotContain("llmspell_http_client");
	}

	private static SpanData only(List<SpanData> spans, String status) {
		List<SpanData> matching = spans.stream()
			.filter((span) -> java.util.Objects.equals(status,
					span.getAttributes().get(stringKey("http.response.status_code"))))
			.toList();
		assertThat(matching).as("client spans with status %s", status).hasSize(1);
		return matching.get(0);
	}

	private SpanData awaitSpan(Predicate<SpanData> which) {
		return awaitSpans(which, 1).get(0);
	}

	private List<SpanData> awaitSpans(Predicate<SpanData> which, int count) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> spans.getFinishedSpanItems().stream().filter(which).count() >= count);
		return spans.getFinishedSpanItems().stream().filter(which).toList();
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
