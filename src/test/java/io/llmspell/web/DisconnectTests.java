package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that goes away cancels its run within a second, and the run's threads are
 * released.
 */
class DisconnectTests extends ServerTests {

	@Test
	void disconnectingMidRunReleasesTheRunAndItsCoroutines() {
		long before = LuaThreads.live(); // other tests' runs may still be ending in this
											// JVM
		List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
		Disposable stream = client.post()
			.uri("/spells/hostile/run?case=coroutines_waiting")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(SSE)
			.getResponseBody()
			.subscribe(events::add);
		await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch((e) -> "output".equals(e.event())));
		// twenty promise executors wait in coroutines, each a thread in LuaJ
		assertThat(LuaThreads.live()).isGreaterThanOrEqualTo(before + 20);

		stream.dispose();
		long disconnected = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).until(() -> LuaThreads.live() <= before);
		assertThat(Duration.ofNanos(System.nanoTime() - disconnected)).isLessThan(Duration.ofSeconds(1));
	}

}
