package io.llmspell.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that goes away cancels its run within a second, and the run's threads are released. */
class DisconnectTest extends ServerTest {

	@Test
	void disconnectingMidRunReleasesTheRunAndItsCoroutines() {
		var first = client.post().uri("/spells/hostile/run?case=coroutines_waiting")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(SSE)
			.getResponseBody()
			.filter((event) -> "output".equals(event.event()))
			.blockFirst(Duration.ofSeconds(10));
		assertThat(first.data()).containsEntry("text", "waiting");
		assertThat(LuaThreads.live()).isPositive();
		long disconnected = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).until(() -> LuaThreads.live() == 0);
		assertThat(Duration.ofNanos(System.nanoTime() - disconnected)).isLessThan(Duration.ofSeconds(2));
	}

}
