package io.llmspell.llm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConcurrencyLimiterTests {

	private final ConcurrencyLimiter limiter = new ConcurrencyLimiter("test", 2, 2);

	private final List<String> started = new CopyOnWriteArrayList<>();

	/** A source that records when it is subscribed and ends when {@code end} does. */
	private Flux<String> job(String name, Sinks.Empty<Void> end) {
		return limiter.limit(Flux.defer(() -> {
			started.add(name);
			return end.asMono().thenMany(Flux.just(name));
		}));
	}

	@Test
	void runsAtMostMaxConcurrentAndStartsWaitersInOrder() {
		Sinks.Empty<Void> a = Sinks.empty();
		Sinks.Empty<Void> b = Sinks.empty();
		Sinks.Empty<Void> c = Sinks.empty();
		Sinks.Empty<Void> d = Sinks.empty();
		List<Disposable> subscriptions = List.of(job("a", a).subscribe(), job("b", b).subscribe(),
				job("c", c).subscribe(), job("d", d).subscribe());

		assertThat(started).containsExactly("a", "b");
		assertThat(limiter.running()).isEqualTo(2);
		assertThat(limiter.queued()).isEqualTo(2);

		b.tryEmitEmpty();
		await().atMost(Duration.ofSeconds(2)).until(() -> started.size() == 3);
		assertThat(started).containsExactly("a", "b", "c");
		a.tryEmitError(new IllegalStateException("boom")); // a failure gives the slot
															// back too
		await().atMost(Duration.ofSeconds(2)).until(() -> started.size() == 4);
		assertThat(started).containsExactly("a", "b", "c", "d");
		assertThat(limiter.queued()).isZero();
		subscriptions.forEach(Disposable::dispose);
		assertThat(limiter.running()).isZero();
	}

	@Test
	void aFullQueueFailsAtOnce() {
		Sinks.Empty<Void> never = Sinks.empty();
		List<Disposable> subscriptions = List.of(job("a", never).subscribe(), job("b", never).subscribe(),
				job("c", never).subscribe(), job("d", never).subscribe());

		StepVerifier.create(job("e", never))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(LlmException.class)
				.hasMessage("test: too many queued requests (limit 2)"))
			.verify(Duration.ofMillis(100));
		assertThat(started).doesNotContain("e");
		subscriptions.forEach(Disposable::dispose);
	}

	@Test
	void cancellingAWaiterRemovesItFromTheQueue() {
		Sinks.Empty<Void> a = Sinks.empty();
		Sinks.Empty<Void> never = Sinks.empty();
		job("a", a).subscribe();
		job("b", never).subscribe();
		Disposable c = job("c", never).subscribe();
		job("d", never).subscribe();
		assertThat(limiter.queued()).isEqualTo(2);

		c.dispose();
		assertThat(limiter.queued()).isEqualTo(1);
		a.tryEmitEmpty();
		await().atMost(Duration.ofSeconds(2)).until(() -> started.contains("d"));
		assertThat(started).containsExactly("a", "b", "d");
		assertThat(limiter.running()).isEqualTo(2);
	}

	@Test
	void monosAreLimitedToo() {
		ConcurrencyLimiter one = new ConcurrencyLimiter("one", 1, 0);
		Sinks.One<String> first = Sinks.one();
		Disposable running = one.limit(first.asMono()).subscribe();
		StepVerifier.create(one.limit(Mono.just("x"))).expectError(LlmException.class).verify();
		first.tryEmitValue("done");
		StepVerifier.create(one.limit(Mono.just("x"))).expectNext("x").verifyComplete();
		running.dispose();
	}

	@Test
	void manySynchronousSourcesDoNotOverflowTheStack() {
		ConcurrencyLimiter one = new ConcurrencyLimiter("one", 1, 10_000);
		StepVerifier.create(Flux.range(0, 5_000).flatMap((i) -> one.limit(Mono.just(i)), 5_000).count())
			.expectNext(5_000L)
			.verifyComplete();
		assertThat(one.running()).isZero();
	}

}
