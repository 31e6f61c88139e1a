package io.llmspell.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runs resource against a real server: start, watch, resume, share, cancel, status,
 * problems.
 */
class RunsResourceTests extends RunsServerTests {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	@Test
	void runStartedWithPostRunsDeliversEveryEventOnceInOrder() {
		String runId = startRun("ticker", "count=3&delay=0.05");

		List<ServerSentEvent<Map<String, Object>>> events = all(watch(runId, null), Duration.ofSeconds(10));

		assertThat(ids(events)).containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
		assertThat(names(events)).containsExactly("start", "output", "output", "output", "done");
		assertThat(events.get(0).data()).containsEntry("runId", runId).containsEntry("spell", "ticker");
		assertThat(events.stream().skip(1).limit(3).map((event) -> event.data().get("text"))).containsExactly("tick 1",
				"tick 2", "tick 3");
		assertThat(last(events)).containsEntry("status", "ok").containsEntry("result", Map.of("ticks", 3));
		assertThat(events.get(0).retry()).isEqualTo(RETRY);
		assertThat(events.get(1).retry()).isNull();
	}

	@Test
	void postRunsAnswersAtOnceWithLocationAndTheRunGoesOnWithoutAnyClient() {
		http.post()
			.uri("/spells/ticker/runs?count=2&delay=0.3")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.value("Location", (location) -> assertThat(location).matches("/runs/[0-9a-f-]{36}"))
			.expectBody()
			.jsonPath("$.events")
			.value((String events) -> assertThat(events).matches("/runs/[0-9a-f-]{36}/events"))
			.jsonPath("$.runId")
			.value((String runId) -> {
				// nobody watches it, nobody holds its connection: it still runs to the
				// end
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(status(runId)).containsEntry("state", "finished")
						.containsEntry("status", "ok"));
			});
	}

	@Test
	void clientThatDropsAfterEventKResumesWithLastEventIdAndGetsNothingTwice() {
		String runId = startRun("ticker", "count=5&delay=0.2");

		List<ServerSentEvent<Map<String, Object>>> before = watch(runId, null).take(3)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(ids(before)).containsExactly(1L, 2L, 3L);
		assertThat(status(runId)).containsEntry("state", "running");

		List<ServerSentEvent<Map<String, Object>>> after = all(watch(runId, 3L), Duration.ofSeconds(10));

		assertThat(ids(after).get(0)).isEqualTo(4L);
		List<Long> seen = new ArrayList<>(ids(before));
		seen.addAll(ids(after));
		assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, seen.size()).boxed().toList());
		assertThat(names(after)).endsWith("done").doesNotContain("start");
		assertThat(after.get(0).retry()).as("a resumed stream carries retry: on its first event").isEqualTo(RETRY);
		// the watcher that dropped did not cancel the run
		assertThat(last(after)).containsEntry("status", "ok");
	}

	@Test
	void lastEventIdQueryParameterResumesTooAndTheHeaderWinsOverIt() {
		String runId = startRun("ticker", "count=3&delay=0");
		awaitFinished(runId);

		List<ServerSentEvent<Map<String, Object>>> byQuery = client().get()
			.uri("/runs/{id}/events?lastEventId=2", runId)
			.retrieve()
			.bodyToFlux(SSE)
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(ids(byQuery)).containsExactly(3L, 4L, 5L);

		// a reconnecting EventSource keeps its URL (the old query) and sends its newest
		// id as the header
		List<ServerSentEvent<Map<String, Object>>> byHeader = client().get()
			.uri("/runs/{id}/events?lastEventId=1", runId)
			.header("Last-Event-ID", "4")
			.retrieve()
			.bodyToFlux(SSE)
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(ids(byHeader)).containsExactly(5L);
		assertThat(names(byHeader)).containsExactly("done");
	}

	@Test
	void aClientThatHasEveryEventOfAFinishedRunGets204SoThatEventSourceStopsReconnecting() {
		String runId = startRun("ticker", "count=1&delay=0");
		awaitFinished(runId);
		long lastId = ((Number) status(runId).get("lastEventId")).longValue();
		assertThat(lastId).isEqualTo(3);

		http.get().uri("/runs/{id}/events", runId).header("Last-Event-ID", "3").exchange().expectStatus().isNoContent();
		http.get()
			.uri("/runs/{id}/events", runId)
			.header("Last-Event-ID", "2")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM);
	}

	@Test
	void twoWatchersSeeTheSameEvents() {
		String runId = startRun("ticker", "count=4&delay=0.1");

		List<List<ServerSentEvent<Map<String, Object>>>> both = Mono
			.zip(watch(runId, null).collectList(), watch(runId, null).collectList(), List::of)
			.block(Duration.ofSeconds(10));

		assertThat(both.get(0)).hasSize(6);
		assertThat(both.get(0)).extracting(ServerSentEvent::id, ServerSentEvent::event, ServerSentEvent::data)
			.containsExactlyElementsOf(both.get(1)
				.stream()
				.map((event) -> org.assertj.core.groups.Tuple.tuple(event.id(), event.event(), event.data()))
				.toList());
	}

	@Test
	void deleteCancelsWithinASecondAndAbortsTheInFlightLlmRequest() throws Exception {
		int abortedBefore = probe.aborted.get();
		int startedBefore = probe.started.get();
		String runId = startRun("slow-llm", "");
		CompletableFuture<List<ServerSentEvent<Map<String, Object>>>> watched = watch(runId, null).collectList()
			.toFuture();
		await().atMost(Duration.ofSeconds(5)).until(() -> probe.started.get() > startedBefore);

		Instant deleted = Instant.now();
		http.delete()
			.uri("/runs/{id}", runId)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.runId")
			.isEqualTo(runId)
			.jsonPath("$.cancelReason")
			.isEqualTo("cancelled by DELETE");

		await().atMost(Duration.ofSeconds(1)).until(watched::isDone);
		Duration took = Duration.between(deleted, Instant.now());
		List<ServerSentEvent<Map<String, Object>>> events = watched.get();
		assertThat(names(events)).containsExactly("start", "output", "error", "done");
		assertThat(events.get(2).data()).containsEntry("kind", "cancelled")
			.containsEntry("message", "cancelled by DELETE");
		assertThat(last(events)).containsEntry("status", "cancelled");
		assertThat(took).isLessThan(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(1)).until(() -> probe.aborted.get() > abortedBefore);
		assertThat(status(runId)).containsEntry("state", "finished").containsEntry("status", "cancelled");

		// a finished run cannot be cancelled: 409, saying how it ended
		http.delete()
			.uri("/runs/{id}", runId)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(409)
			.jsonPath("$.runStatus")
			.isEqualTo("cancelled")
			.jsonPath("$.runId")
			.isEqualTo(runId);
	}

	@Test
	void statusTellsStateWhileRunningAndTheSummaryOnceFinished() {
		String runId = startRun("ticker", "count=3&delay=0.3");

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(status(runId)).containsEntry("state", "running")
				.containsEntry("status", null)
				.containsEntry("finishedAt", null)
				.containsEntry("detached", true)
				.containsEntry("params", Map.of("count", 3, "delay", 0.3))
				.containsKey("startedAt"));

		awaitFinished(runId);
		Map<String, Object> done = status(runId);
		assertThat(done).containsEntry("runId", runId)
			.containsEntry("spell", "ticker")
			.containsEntry("status", "ok")
			.containsEntry("result", Map.of("ticks", 3))
			.containsEntry("error", null)
			.containsEntry("output", List.of("tick 1", "tick 2", "tick 3"))
			.containsEntry("lastEventId", 5);
		assertThat(((Number) done.get("durationMs")).longValue()).isGreaterThanOrEqualTo(800);
		assertThat(done.get("usage")).isInstanceOf(Map.class);
		Instant created = Instant.parse((String) done.get("createdAt"));
		Instant started = Instant.parse((String) done.get("startedAt"));
		Instant finished = Instant.parse((String) done.get("finishedAt"));
		assertThat(created).isBeforeOrEqualTo(started);
		assertThat(started).isBefore(finished);
	}

	@Test
	void watchersMayAskForNdjson() {
		String runId = startRun("ticker", "count=2&delay=0");
		awaitFinished(runId);

		List<Map<String, Object>> lines = client().get()
			.uri("/runs/{id}/events", runId)
			.accept(MediaType.APPLICATION_NDJSON)
			.header("Last-Event-ID", "1")
			.retrieve()
			.bodyToFlux(MAP)
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(lines).extracting((line) -> line.get("event")).containsExactly("output", "output", "done");
		assertThat(lines).extracting((line) -> ((Number) line.get("id")).longValue()).containsExactly(2L, 3L, 4L);
	}

	@Test
	void unknownRunIdsAre404ProblemDetails() {
		for (var request : List.of(http.get().uri("/runs/no-such-run"), http.get().uri("/runs/no-such-run/events"),
				http.delete().uri("/runs/no-such-run"))) {
			request.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.title")
				.isEqualTo("Unknown run")
				.jsonPath("$.runId")
				.isEqualTo("no-such-run")
				.jsonPath("$.status")
				.isEqualTo(404);
		}
	}

	@Test
	void badLastEventIdIsA400Problem() {
		String runId = startRun("ticker", "count=1&delay=0");
		http.get()
			.uri("/runs/{id}/events", runId)
			.header("Last-Event-ID", "seven")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("Last-Event-ID"));
	}

	@Test
	void postRunsValidatesLikePostRun() {
		http.post()
			.uri("/spells/nope/runs")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		http.post()
			.uri("/spells/ticker/runs?count=lots")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.parameter")
			.isEqualTo("count");
		http.post()
			.uri("/spells/ticker/runs")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("count=1")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		http.post()
			.uri("/spells/ticker/runs")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"options\": {\"provider\": \"nope\"}}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.option")
			.isEqualTo("provider");
	}

	@Test
	void postRunsTakesParamsAndOptionsFromTheBody() {
		String runId = http.post()
			.uri("/spells/ticker/runs")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(
					"{\"params\": {\"count\": 2, \"delay\": 0.01}, \"options\": {\"model\": \"m-1\", \"detach\": false}}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(MAP)
			.returnResult()
			.getResponseBody()
			.get("runId")
			.toString();

		List<ServerSentEvent<Map<String, Object>>> events = all(watch(runId, null), Duration.ofSeconds(5));
		assertThat(events.get(0).data()).containsEntry("model", "m-1")
			.containsEntry("params", Map.of("count", 2, "delay", 0.01));
		// POST /runs is always detached, whatever options.detach says
		assertThat(status(runId)).containsEntry("detached", true).containsEntry("status", "ok");
	}

	Map<String, Object> status(String runId) {
		return http.get()
			.uri("/runs/{id}", runId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody(MAP)
			.returnResult()
			.getResponseBody();
	}

	void awaitFinished(String runId) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(status(runId)).containsEntry("state", "finished"));
	}

}
