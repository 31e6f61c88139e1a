package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code Idempotency-Key}: a client that re-POSTs after a dropped connection (as
 * {@code @microsoft/fetch-event-source} does, with {@code Last-Event-ID}) gets the run it
 * started, from the next event, not a second run.
 */
class IdempotencyKeyTests extends ServerTests {

	@Autowired
	MeterRegistry meters;

	@Test
	void aRepeatAfterADropReattachesToTheSameRunFromTheNextEvent() {
		String key = UUID.randomUUID().toString();
		long before = finishedRuns("ticker");
		String body = "{\"params\": {\"count\": 6, \"interval\": 0.1}}";
		// the first connection drops after start and one output
		List<ServerSentEvent<Map<String, Object>>> first = client.post()
			.uri("/spells/ticker/run")
			.header(IdempotentStarts.IDEMPOTENCY_KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody()
			.filter((event) -> event.event() != null)
			.take(2)
			.collectList()
			.block(Duration.ofSeconds(20));
		String runId = (String) first.get(0).data().get("runId");

		List<ServerSentEvent<Map<String, Object>>> second = client.post()
			.uri("/spells/ticker/run")
			.header(IdempotentStarts.IDEMPOTENCY_KEY, key)
			.header(RunsController.LAST_EVENT_ID, first.get(1).id())
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(IdempotentStarts.REPLAYED, "true")
			.returnResult(SSE)
			.getResponseBody()
			.filter((event) -> event.event() != null)
			.collectList()
			.block(Duration.ofSeconds(20));

		assertThat(second.get(0).id()).isEqualTo("3");
		assertThat(names(second)).doesNotContain("start").endsWith("done");
		assertThat(data(second, "done")).containsEntry("status", "ok").containsEntry("result", 6);
		List<String> ticks = second.stream()
			.filter((event) -> "output".equals(event.event()))
			.map((event) -> (String) event.data().get("text"))
			.toList();
		assertThat(ticks).containsExactly("tick 2", "tick 3", "tick 4", "tick 5", "tick 6");
		// one run, not two
		await().atMost(Duration.ofSeconds(10)).until(() -> finishedRuns("ticker") == before + 1);
		client.get().uri("/runs/" + runId).exchange().expectBody().jsonPath("$.status").isEqualTo("ok");
	}

	@Test
	void theRunsResourceAnswersTheSameRunToARepeat() {
		String key = UUID.randomUUID().toString();
		String firstId = start(key, "{\"params\": {\"name\": \"again\"}}").get("runId").toString();
		Map<?, ?> repeat = client.post()
			.uri("/spells/hello/runs")
			.header(IdempotentStarts.IDEMPOTENCY_KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"params\": {\"name\": \"again\"}}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.valueEquals(IdempotentStarts.REPLAYED, "true")
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();

		assertThat(repeat.get("runId")).isEqualTo(firstId);
	}

	@Test
	void theSameKeyWithAnotherRequestIsRefused() {
		String key = UUID.randomUUID().toString();
		start(key, "{\"params\": {\"name\": \"one\"}}");

		client.post()
			.uri("/spells/hello/runs")
			.header(IdempotentStarts.IDEMPOTENCY_KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"params\": {\"name\": \"two\"}}")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Idempotency-Key reused");
	}

	@Test
	void keysAreScopedPerSpell() {
		String key = UUID.randomUUID().toString();
		String hello = start(key, "{}").get("runId").toString();
		String other = client.post()
			.uri("/spells/typed-params/runs?count=1")
			.header(IdempotentStarts.IDEMPOTENCY_KEY, key)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("runId")
			.toString();

		assertThat(other).isNotEqualTo(hello);
	}

	private Map<?, ?> start(String key, String body) {
		return client.post()
			.uri("/spells/hello/runs")
			.header(IdempotentStarts.IDEMPOTENCY_KEY, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private long finishedRuns(String spell) {
		return meters.find("llmspell.runs").tag("spell", spell).timers().stream().mapToLong(Timer::count).sum();
	}

}
