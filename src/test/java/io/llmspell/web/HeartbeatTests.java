package io.llmspell.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatTests {

	private static final Duration IDLE = Duration.ofSeconds(15);

	@Test
	void aBeatComesTheHeartbeatIntervalAfterTheLastEventAndRepeats() {
		StepVerifier.withVirtualTime(() -> RunResponses.withHeartbeats(events(), IDLE))
			.expectSubscription()
			.expectNextMatches((event) -> "start".equals(event.event()))
			.expectNoEvent(Duration.ofSeconds(5))
			.expectNextMatches((event) -> "output".equals(event.event()))
			// 15 s after the output, not at a tick of a timer started with the stream
			.expectNoEvent(IDLE.minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.expectNextMatches(HeartbeatTests::isBeat)
			.thenAwait(IDLE)
			.expectNextMatches(HeartbeatTests::isBeat)
			.thenAwait(Duration.ofSeconds(2))
			.expectNextMatches((event) -> "done".equals(event.event()))
			.verifyComplete();
	}

	@Test
	void theBeatIsAColonSpaceComment() {
		ServerSentEvent<Object> beat = RunResponses.withHeartbeats(Flux.never(), Duration.ofMillis(10))
			.blockFirst(Duration.ofSeconds(10));
		// ServerSentEventHttpMessageWriter writes ':' + comment
		assertThat(":" + beat.comment()).isEqualTo(": keep-alive");
	}

	private static Flux<ServerSentEvent<Object>> events() {
		// start at once, output 5 s later, then 32 s of silence, then done
		return Flux.concat(Mono.just(event("start")), Mono.delay(Duration.ofSeconds(5)).map((t) -> event("output")),
				Mono.delay(Duration.ofSeconds(32)).map((t) -> event("done")));
	}

	private static ServerSentEvent<Object> event(String name) {
		return ServerSentEvent.builder((Object) "x").event(name).build();
	}

	private static boolean isBeat(ServerSentEvent<Object> event) {
		return event.event() == null && "keep-alive".equals(event.comment().strip());
	}

}
