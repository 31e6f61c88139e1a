package io.llmspell.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * A non-blocking bound on how many subscriptions run at once. A subscription beyond the
 * bound waits, without holding a thread, in a FIFO queue of bounded length; when the
 * queue is full the subscription fails at once with an {@link LlmException}. Cancelling a
 * waiting subscription removes it from the queue; a running one gives its slot back when
 * it completes, fails or is cancelled, and the slot passes to the longest waiting
 * subscription.
 */
public final class ConcurrencyLimiter {

	private final String name;

	private final int maxConcurrent;

	private final int maxQueued;

	private final ArrayDeque<Ticket> queue = new ArrayDeque<>();

	private int running;

	/**
	 * @param name the provider name, used in the error message
	 * @param maxConcurrent how many subscriptions may run at once (at least 1)
	 * @param maxQueued how many may wait (0: none wait, excess fails at once)
	 */
	public ConcurrencyLimiter(String name, int maxConcurrent, int maxQueued) {
		if (maxConcurrent < 1 || maxQueued < 0) {
			throw new IllegalArgumentException("maxConcurrent must be >= 1 and maxQueued >= 0");
		}
		this.name = name;
		this.maxConcurrent = maxConcurrent;
		this.maxQueued = maxQueued;
	}

	/**
	 * {@code source}, subscribed only once a slot is free, holding the slot until it
	 * terminates.
	 */
	public <T> Flux<T> limit(Flux<T> source) {
		return Flux.defer(() -> {
			Ticket ticket = new Ticket();
			return Mono.<Void>create(ticket::acquire).thenMany(source).doFinally((signal) -> ticket.release());
		});
	}

	/**
	 * {@code source}, subscribed only once a slot is free, holding the slot until it
	 * terminates.
	 */
	public <T> Mono<T> limit(Mono<T> source) {
		return Mono.defer(() -> {
			Ticket ticket = new Ticket();
			return Mono.<Void>create(ticket::acquire).then(source).doFinally((signal) -> ticket.release());
		});
	}

	/** How many subscriptions hold a slot now. */
	public synchronized int running() {
		return running;
	}

	/** How many subscriptions wait for a slot now. */
	public synchronized int queued() {
		return queue.size();
	}

	public int maxConcurrent() {
		return maxConcurrent;
	}

	public int maxQueued() {
		return maxQueued;
	}

	private enum State {

		NEW, QUEUED, RUNNING, DONE

	}

	/**
	 * One subscription's claim on a slot; all state changes happen under the limiter's
	 * lock.
	 */
	private final class Ticket {

		private State state = State.NEW;

		private MonoSink<Void> sink;

		void acquire(MonoSink<Void> sink) {
			boolean granted;
			boolean rejected = false;
			synchronized (ConcurrencyLimiter.this) {
				if (state != State.NEW) {
					return; // cancelled before it asked
				}
				this.sink = sink;
				if (running < maxConcurrent && queue.isEmpty()) {
					running++;
					state = State.RUNNING;
					granted = true;
				}
				else if (queue.size() < maxQueued) {
					queue.addLast(this);
					state = State.QUEUED;
					granted = false;
				}
				else {
					state = State.DONE;
					granted = false;
					rejected = true;
				}
			}
			if (granted) {
				sink.success();
			}
			else if (rejected) {
				sink.error(new LlmException(name, "too many queued requests (limit " + maxQueued + ")"));
			}
		}

		void release() {
			List<Ticket> granted;
			synchronized (ConcurrencyLimiter.this) {
				State previous = state;
				state = State.DONE;
				if (previous == State.QUEUED) {
					queue.remove(this);
					return;
				}
				if (previous != State.RUNNING) {
					return;
				}
				running--;
				granted = grantWaiting();
			}
			// Signalled on another thread, so that a chain of sources ending
			// synchronously cannot
			// recurse through release() -> success() -> subscribe -> release() ...
			granted.forEach((ticket) -> Schedulers.parallel().schedule(ticket.sink::success));
		}

	}

	/**
	 * Hands free slots to waiting tickets in FIFO order; the caller signals them outside
	 * the lock.
	 */
	private List<Ticket> grantWaiting() {
		List<Ticket> granted = new ArrayList<>(1);
		while (running < maxConcurrent && !queue.isEmpty()) {
			Ticket next = queue.pollFirst();
			next.state = State.RUNNING;
			running++;
			granted.add(next);
		}
		return granted;
	}

}
