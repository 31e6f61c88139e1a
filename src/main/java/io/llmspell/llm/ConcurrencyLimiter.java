package io.llmspell.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * A non-blocking bound on how many subscriptions run at once, shared fairly between runs.
 * A subscription beyond the bound waits, without holding a thread, in its run's queue; a
 * free slot goes to the runs with waiting subscriptions in turn (round-robin, FIFO within
 * a run), so a run that floods the provider delays another run's call by at most one slot
 * per waiting run, never by its own backlog. A subscription names its run with the
 * {@link #RUN} key of its Reactor context ({@link RunCalls} puts it there); subscriptions
 * without one share a single anonymous run.
 * <p>
 * At most {@code maxQueued} subscriptions wait in all. When that is full, a newcomer
 * whose run has fewer waiting than the run with the most takes the place of that run's
 * newest waiter, which fails; otherwise the newcomer fails at once. Failures are
 * {@link LlmException}s. Cancelling a waiting subscription removes it from its queue; a
 * running one gives its slot back when it completes, fails or is cancelled.
 */
public final class ConcurrencyLimiter {

	/** The Reactor context key whose value identifies the run a call belongs to. */
	public static final String RUN = ConcurrencyLimiter.class.getName() + ".run";

	private static final Object NO_RUN = new Object();

	private final String name;

	private final int maxConcurrent;

	private final int maxQueued;

	/** Each run's waiting tickets, oldest first. */
	private final Map<Object, ArrayDeque<Ticket>> waiting = new HashMap<>();

	/** The runs with waiting tickets, in the order they get the next free slots. */
	private final ArrayDeque<Object> turns = new ArrayDeque<>();

	private int queued;

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
		return Flux.deferContextual((context) -> {
			Ticket ticket = new Ticket(context.getOrDefault(RUN, NO_RUN));
			if (ticket.grantNow()) {
				return source.doFinally((signal) -> ticket.release());
			}
			return Mono.<Void>create(ticket::acquire).thenMany(source).doFinally((signal) -> ticket.release());
		});
	}

	/**
	 * {@code source}, subscribed only once a slot is free, holding the slot until it
	 * terminates.
	 */
	public <T> Mono<T> limit(Mono<T> source) {
		return Mono.deferContextual((context) -> {
			Ticket ticket = new Ticket(context.getOrDefault(RUN, NO_RUN));
			// a free slot and nobody waiting (the usual case): no waiting stage at all
			if (ticket.grantNow()) {
				return source.doFinally((signal) -> ticket.release());
			}
			return Mono.<Void>create(ticket::acquire).then(source).doFinally((signal) -> ticket.release());
		});
	}

	/** How many subscriptions hold a slot now. */
	public synchronized int running() {
		return running;
	}

	/** How many subscriptions wait for a slot now. */
	public synchronized int queued() {
		return queued;
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

		private final Object run;

		private State state = State.NEW;

		private MonoSink<Void> sink;

		Ticket(Object run) {
			this.run = run;
		}

		/** Takes a free slot at once if there is one and nobody waits for it. */
		boolean grantNow() {
			synchronized (ConcurrencyLimiter.this) {
				return grantIfFree();
			}
		}

		/** Under the lock: takes a slot if one is free and nobody waits for it. */
		private boolean grantIfFree() {
			if (running < maxConcurrent && queued == 0) {
				running++;
				state = State.RUNNING;
				return true;
			}
			return false;
		}

		void acquire(MonoSink<Void> sink) {
			boolean granted = false;
			Ticket rejected = null;
			synchronized (ConcurrencyLimiter.this) {
				if (state != State.NEW) {
					return; // cancelled before it asked
				}
				this.sink = sink;
				if (grantIfFree()) {
					granted = true;
				}
				else if (queued < maxQueued) {
					enqueue(this);
				}
				else {
					rejected = makeRoomFor(this);
					if (rejected != this) {
						enqueue(this);
					}
				}
			}
			if (granted) {
				sink.success();
			}
			else if (rejected != null) {
				rejected.sink.error(new LlmException(name, "too many queued requests (limit " + maxQueued + ")"));
			}
		}

		void release() {
			List<Ticket> granted;
			synchronized (ConcurrencyLimiter.this) {
				State previous = state;
				state = State.DONE;
				if (previous == State.QUEUED) {
					dequeue(this);
					return;
				}
				if (previous != State.RUNNING) {
					return;
				}
				running--;
				granted = grantWaiting();
			}
			// Signalled on another thread, so that a chain of sources ending
			// synchronously cannot recurse through release() -> success() ->
			// subscribe -> release() ...
			granted.forEach((ticket) -> Schedulers.parallel().schedule(ticket.sink::success));
		}

	}

	private void enqueue(Ticket ticket) {
		ArrayDeque<Ticket> queue = waiting.computeIfAbsent(ticket.run, (run) -> new ArrayDeque<>());
		if (queue.isEmpty()) {
			turns.addLast(ticket.run);
		}
		queue.addLast(ticket);
		ticket.state = State.QUEUED;
		queued++;
	}

	private void dequeue(Ticket ticket) {
		ArrayDeque<Ticket> queue = waiting.get(ticket.run);
		if (queue != null && queue.remove(ticket)) {
			queued--;
			if (queue.isEmpty()) {
				waiting.remove(ticket.run);
				turns.remove(ticket.run);
			}
		}
	}

	/**
	 * The queue is full: the ticket to fail, either the newest waiter of the run with the
	 * most waiting (when that run has more than the newcomer's would) or the newcomer
	 * itself.
	 */
	private Ticket makeRoomFor(Ticket newcomer) {
		ArrayDeque<Ticket> own = waiting.get(newcomer.run);
		int ownSize = (own != null) ? own.size() : 0;
		ArrayDeque<Ticket> largest = null;
		for (ArrayDeque<Ticket> queue : waiting.values()) {
			if (largest == null || queue.size() > largest.size()) {
				largest = queue;
			}
		}
		if (largest == null || largest.size() <= ownSize + 1) {
			newcomer.state = State.DONE;
			return newcomer;
		}
		Ticket evicted = largest.peekLast();
		dequeue(evicted);
		evicted.state = State.DONE;
		return evicted;
	}

	/**
	 * Hands free slots to waiting tickets, one run at a time in turn; the caller signals
	 * them outside the lock.
	 */
	private List<Ticket> grantWaiting() {
		if (turns.isEmpty()) {
			return List.of();
		}
		List<Ticket> granted = new ArrayList<>(1);
		while (running < maxConcurrent && !turns.isEmpty()) {
			Object run = turns.pollFirst();
			ArrayDeque<Ticket> queue = waiting.get(run);
			Ticket next = queue.pollFirst();
			queued--;
			if (queue.isEmpty()) {
				waiting.remove(run);
			}
			else {
				turns.addLast(run);
			}
			next.state = State.RUNNING;
			running++;
			granted.add(next);
		}
		return granted;
	}

}
