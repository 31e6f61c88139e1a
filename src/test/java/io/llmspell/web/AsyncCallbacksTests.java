package io.llmspell.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.MediaType;

import io.llmspell.web.RecordingProvider.Call;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The async-callbacks spell and the seed's examples over HTTP, with a provider that
 * records when each call started and ended: parallel calls overlap (every call started
 * before the first one finished), sequential ones do not.
 */
class AsyncCallbacksTests extends ServerTests {

	private List<Call> run(String spell, String query) {
		var events = runSse("/spells/" + spell + "/run" + query, "recording");
		assertThat(data(events, "done")).as(events.toString()).containsEntry("status", "ok");
		return recording.calls();
	}

	@ParameterizedTest(name = "{0}{1}")
	@CsvSource({ "async-callbacks, ?mode=parallel, 5", "async-callbacks, ?mode=promise, 5",
			"async-callbacks, ?mode=simple, 2", "seed-promise, '', 3" })
	void everyCallStartsBeforeTheFirstOneFinishes(String spell, String query, int calls) {
		List<Call> recorded = run(spell, query);
		assertThat(recorded).hasSize(calls);
		long lastStart = recorded.stream().mapToLong(Call::startNanos).max().orElseThrow();
		long firstEnd = recorded.stream().mapToLong(Call::endNanos).min().orElseThrow();
		assertThat(lastStart).isLessThan(firstEnd);
	}

	@Test
	void sequentialCallsDoNotOverlap() {
		List<Call> recorded = new ArrayList<>(run("async-callbacks", "?mode=sequential&calls=3"));
		recorded.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
		assertThat(recorded).hasSize(3);
		for (int i = 1; i < recorded.size(); i++) {
			assertThat(recorded.get(i).startNanos()).isGreaterThanOrEqualTo(recorded.get(i - 1).endNanos());
		}
	}

	@Test
	void streamedChunksReachTheClientWhileTheCallIsStillRunning() {
		List<Long> arrivals = new ArrayList<>();
		client.post()
			.uri("/spells/async-callbacks/run?mode=streaming")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(SSE)
			.getResponseBody()
			.filter((event) -> "chunk".equals(event.event()))
			.doOnNext((event) -> arrivals.add(System.nanoTime()))
			.blockLast(Duration.ofSeconds(10));
		// the mock streams 4 pieces over 200 ms: they arrive spread out, not all at the
		// end
		assertThat(arrivals).hasSize(4);
		assertThat(Duration.ofNanos(arrivals.get(3) - arrivals.get(0))).isGreaterThan(Duration.ofMillis(100));
	}

	@Test
	void aSpellYamlLimitLowersTheServersLimit() {
		var events = runSse("/spells/short-fuse/run");
		assertThat(data(events, "error")).containsEntry("limit", "timeout");
		assertThat(data(events, "done")).containsEntry("status", "timeout");
		assertThat(((Number) data(events, "done").get("durationMs")).longValue()).isBetween(450L, 1500L);
	}

}
