package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run started by {@code POST /spells/{name}/run} has an id too: it can be re-attached,
 * and its own client's disconnect cancels it unless it asked for {@code options.detach}.
 */
class RunReattachTests extends RunsServerTests {

	@Test
	void clientOfPostRunThatDisconnectsCancelsItsRun() {
		ServerSentEvent<Map<String, Object>> start = postRun("ticker", "count=50&delay=0.1", null).next()
			.block(Duration.ofSeconds(5));
		String runId = (String) start.data().get("runId");

		await().atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(status(runId)).containsEntry("state", "finished")
				.containsEntry("status", "cancelled"));
		assertThat(status(runId).get("error")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("kind", "cancelled")
			.containsEntry("message", "client disconnected");
		List<ServerSentEvent<Map<String, Object>>> replayed = all(watch(runId, null), Duration.ofSeconds(5));
		assertThat(names(replayed)).startsWith("start").endsWith("error", "done");
		assertThat(names(replayed).size()).isLessThan(50);
	}

	@Test
	void detachedRunOfPostRunGoesOnAfterItsClientLeavesAndCanBeReattached() {
		List<ServerSentEvent<Map<String, Object>>> before = postRun("ticker", "count=3&delay=0.2",
				"{\"options\": {\"detach\": true}}")
			.take(2)
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(ids(before)).containsExactly(1L, 2L);
		String runId = (String) before.get(0).data().get("runId");

		List<ServerSentEvent<Map<String, Object>>> after = all(watch(runId, 2L), Duration.ofSeconds(5));

		assertThat(ids(after)).containsExactly(3L, 4L, 5L);
		assertThat(names(after)).containsExactly("output", "output", "done");
		assertThat(last(after)).containsEntry("status", "ok");
		assertThat(status(runId)).containsEntry("detached", true);
	}

	@Test
	void aReplayLongerThanOneLinkOfTheBufferIsWholeAndInOrder() {
		// the replay buffer grows in links of 16 events: 42 events take three
		List<ServerSentEvent<Map<String, Object>>> first = postRun("ticker", "count=40&delay=0",
				"{\"options\": {\"detach\": true}}")
			.take(1)
			.collectList()
			.block(Duration.ofSeconds(5));
		String runId = (String) first.get(0).data().get("runId");
		await().atMost(Duration.ofSeconds(5)).until(() -> "finished".equals(status(runId).get("state")));

		List<ServerSentEvent<Map<String, Object>>> all = all(watch(runId, null), Duration.ofSeconds(5));
		List<ServerSentEvent<Map<String, Object>>> after = all(watch(runId, 15L), Duration.ofSeconds(5));

		assertThat(ids(all)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 42).boxed().toList());
		assertThat(names(all)).startsWith("start", "output").endsWith("output", "done");
		assertThat(ids(after)).isEqualTo(java.util.stream.LongStream.rangeClosed(16, 42).boxed().toList());
	}

	@Test
	void watcherOfPostRunThatDisconnectsDoesNotCancelIt() throws Exception {
		AtomicReference<String> runId = new AtomicReference<>();
		CompletableFuture<List<ServerSentEvent<Map<String, Object>>>> original = postRun("ticker", "count=4&delay=0.15",
				null)
			.doOnNext((event) -> runId.compareAndSet(null, (String) event.data().get("runId")))
			.collectList()
			.toFuture();
		await().atMost(Duration.ofSeconds(5)).until(() -> runId.get() != null);

		List<ServerSentEvent<Map<String, Object>>> watcher = watch(runId.get(), null).take(2)
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(ids(watcher)).containsExactly(1L, 2L);

		List<ServerSentEvent<Map<String, Object>>> events = original.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(names(events)).containsExactly("start", "output", "output", "output", "output", "done");
		assertThat(last(events)).containsEntry("status", "ok");
		assertThat(status(runId.get())).containsEntry("detached", false);
	}

	private Flux<ServerSentEvent<Map<String, Object>>> postRun(String spell, String query, String body) {
		var request = client().post().uri("/spells/" + spell + "/run?" + query).accept(MediaType.TEXT_EVENT_STREAM);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		}
		return request.retrieve().bodyToFlux(SSE).filter((event) -> event.event() != null);
	}

	private Map<String, Object> status(String runId) {
		return http.get()
			.uri("/runs/{id}", runId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

}
