package io.llmspell.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provider queue serves runs in turn: a run that floods it delays another run's call
 * by one slot per waiting run, not by its own backlog. Deterministic: every job runs
 * until the test ends it.
 */
class FairQueueTests {

	private final List<String> started = new CopyOnWriteArrayList<>();

	private final Map<String, Sinks.Empty<Void>> ends = new ConcurrentHashMap<>();

	private final List<String> failed = new CopyOnWriteArrayList<>();

	private final List<Disposable> subscriptions = new ArrayList<>();

	/** A job of {@code run} that records its start and runs until {@link #end}. */
	private void submit(ConcurrencyLimiter limiter, String run, String name) {
		Sinks.Empty<Void> end = Sinks.empty();
		ends.put(name, end);
		Mono<String> job = limiter.limit(Mono.defer(() -> {
			started.add(name);
			return end.asMono().thenReturn(name);
		}));
		subscriptions.add(job.contextWrite((context) -> context.put(ConcurrencyLimiter.RUN, run))
			.subscribe(null, (error) -> failed.add(name + ": " + error.getMessage())));
	}

	private void end(String name) {
		int before = started.size();
		ends.get(name).tryEmitEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> started.size() > before || started.size() == ends.size());
	}

	@Test
	void aSingleCallStartsWithinTheFirstRoundBehindAFlooder() {
		ConcurrencyLimiter limiter = new ConcurrencyLimiter("slow", 2, 1000);
		for (int i = 1; i <= 500; i++) {
			submit(limiter, "flooder", "f" + i);
		}
		submit(limiter, "single", "s1");
		assertThat(started).containsExactly("f1", "f2");
		assertThat(limiter.queued()).isEqualTo(499);

		end("f1");
		end("f2");
		// the flooder's next call went first (it was waiting first), then the single call
		assertThat(started).containsExactly("f1", "f2", "f3", "s1");
		subscriptions.forEach(Disposable::dispose);
		assertThat(limiter.running()).isZero();
		assertThat(limiter.queued()).isZero();
	}

	@Test
	void slotsGoToTheWaitingRunsInTurn() {
		ConcurrencyLimiter limiter = new ConcurrencyLimiter("slow", 1, 1000);
		submit(limiter, "a", "a1");
		for (int i = 2; i <= 4; i++) {
			submit(limiter, "a", "a" + i);
		}
		for (int i = 1; i <= 3; i++) {
			submit(limiter, "b", "b" + i);
		}
		submit(limiter, "c", "c1");
		for (String name : List.of("a1", "a2", "b1", "c1", "a3", "b2", "a4")) {
			end(name);
		}
		assertThat(started).containsExactly("a1", "a2", "b1", "c1", "a3", "b2", "a4", "b3");
		subscriptions.forEach(Disposable::dispose);
	}

	@Test
	void floodersCannotFillTheQueueAgainstAnotherRun() {
		ConcurrencyLimiter limiter = new ConcurrencyLimiter("slow", 1, 10);
		for (int i = 0; i <= 11; i++) {
			submit(limiter, "a", "a" + i);
		}
		assertThat(failed).containsExactly("a11: slow: too many queued requests (limit 10)");
		// a second flooder takes places from the first until both hold as many
		for (int i = 1; i <= 10; i++) {
			submit(limiter, "b", "b" + i);
		}
		assertThat(limiter.queued()).isEqualTo(10);
		assertThat(failed).extracting((message) -> message.substring(0, message.indexOf(':')))
			.containsExactly("a11", "a10", "a9", "a8", "a7", "a6", "b6", "b7", "b8", "b9", "b10");

		// a third run's single call still gets a place, and a slot in the first round
		submit(limiter, "c", "c1");
		assertThat(failed).hasSize(12).last().asString().matches("(a5|b5): .*");
		end("a0");
		end("a1");
		end("b1");
		assertThat(started).containsExactly("a0", "a1", "b1", "c1");
		subscriptions.forEach(Disposable::dispose);
	}

	@Test
	void aRunWithAsManyWaitingAsAnyOtherIsRefusedWhenTheQueueIsFull() {
		ConcurrencyLimiter limiter = new ConcurrencyLimiter("slow", 1, 2);
		submit(limiter, "a", "a0");
		submit(limiter, "a", "a1");
		submit(limiter, "b", "b1");
		submit(limiter, "b", "b2");
		assertThat(failed).containsExactly("b2: slow: too many queued requests (limit 2)");
		subscriptions.forEach(Disposable::dispose);
	}

}
