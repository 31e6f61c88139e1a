package io.llmspell.lua;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;

/**
 * A run's event loop. Async work (LLM calls, timers) runs on other threads and only
 * {@linkplain #post posts} its completion here; the completions, and promise reactions,
 * run on the run's Lua thread alone, at the dispatch points: {@code process_callbacks},
 * {@code await}, and the drain after the main chunk. Waiting parks the Lua thread (a
 * {@link TimedWait}) until a completion is posted, so it costs no CPU.
 * <p>
 * Everything but {@link #post} and {@link #wake} is called from the Lua thread only.
 */
public final class EventLoop {

	/** How often yielded promise executors are resumed while the loop waits. */
	static final long EXECUTOR_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final Runnable WAKE = () -> {
	};

	private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();

	/** The Lua thread while it waits for work, so that a post wakes it. */
	private volatile Thread waiter;

	private final Globals globals;

	private final RunGuard guard;

	private final List<LuaThread> executors = new ArrayList<>();

	private int pending;

	private int pendingCalls;

	public EventLoop(Globals globals, RunGuard guard) {
		this.globals = globals;
		this.guard = guard;
	}

	/**
	 * Counts an operation that will post its completion later; the limit applies here.
	 */
	public void begin(boolean llmCall) {
		if (pending >= guard.limits().maxPending()) {
			RunAbort abort = RunAbort.limit(RunLimits.PENDING,
					"more than " + guard.limits().maxPending() + " pending async operations");
			guard.abort(abort);
			throw abort;
		}
		pending++;
		if (llmCall) {
			pendingCalls++;
		}
	}

	/** Uncounts an operation once its completion was dispatched or it was cancelled. */
	public void end(boolean llmCall) {
		pending--;
		if (llmCall) {
			pendingCalls--;
		}
	}

	/** Queues a completion to run on the Lua thread. Safe from any thread. */
	public void post(Runnable completion) {
		ready.add(completion);
		Thread thread = waiter;
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

	/** Ends a wait early (the run was cancelled). Safe from any thread. */
	public void wake() {
		post(WAKE);
	}

	/** Queues a promise reaction: counted as pending until it ran. */
	public void microtask(Runnable reaction) {
		pending++;
		// from the Lua thread, which is not waiting
		ready.add(() -> {
			pending--;
			reaction.run();
		});
	}

	/** A yielded promise executor, resumed on every tick until it returns. */
	public void addExecutor(LuaThread executor) {
		executors.add(executor);
	}

	/**
	 * Async operations of every kind in flight or not yet dispatched, plus yielded
	 * executors.
	 */
	public int pendingCount() {
		return pending + executors.size();
	}

	/** LLM calls in flight or finished but not yet dispatched. */
	public int pendingCalls() {
		return pendingCalls;
	}

	public boolean inCoroutine() {
		return !globals.running.isMainThread();
	}

	/**
	 * One pass of the loop: waits up to {@code maxWaitNanos} for work if none is ready
	 * (never inside a coroutine), runs everything ready, then resumes yielded executors
	 * (from the main thread only). Returns the number of callbacks run.
	 */
	public int tick(long maxWaitNanos) {
		return tick(maxWaitNanos, !inCoroutine());
	}

	/**
	 * A full pass, wherever it is called: an {@code await} outside a promise executor (a
	 * plain coroutine too) runs the loop itself, since only one Lua thread of the run
	 * executes at a time.
	 */
	public int pass(long maxWaitNanos) {
		return tick(maxWaitNanos, true);
	}

	private int tick(long maxWaitNanos, boolean mainThread) {
		int ran = 0;
		Runnable task = ready.poll();
		if (task == null && mainThread && pendingCount() > 0 && maxWaitNanos > 0) {
			long wait = executors.isEmpty() ? maxWaitNanos : Math.min(maxWaitNanos, EXECUTOR_TICK_NANOS);
			task = await(Math.min(wait, Math.max(0, guard.remainingNanos()) + 1));
		}
		while (task != null) {
			guard.checkpoint();
			if (task != WAKE) {
				task.run();
				ran++;
			}
			task = ready.poll();
		}
		if (mainThread) {
			resumeExecutors();
		}
		guard.checkpoint();
		return ran;
	}

	/** Runs the loop until nothing is pending; the run's deadline ends it otherwise. */
	public void drain() {
		while (pendingCount() > 0) {
			tick(TimeUnit.SECONDS.toNanos(1));
		}
	}

	/** The first completion posted within {@code nanos}, or null. */
	private Runnable await(long nanos) {
		// set before the queue is looked at again: a post either is seen or unparks
		waiter = Thread.currentThread();
		try (TimedWait wait = TimedWait.of(nanos)) {
			while (true) {
				Runnable task = ready.poll();
				if (task != null) {
					return task;
				}
				if (Thread.interrupted()) {
					throw guard.interrupted();
				}
				if (!wait.park(this)) {
					return ready.poll();
				}
			}
		}
		finally {
			waiter = null;
		}
	}

	private void resumeExecutors() {
		if (executors.isEmpty()) {
			return;
		}
		List<LuaThread> round = new ArrayList<>(executors);
		executors.clear();
		for (LuaThread executor : round) {
			executor.resume(LuaValue.NONE);
			guard.checkpoint();
			if (!"dead".equals(executor.getStatus())) {
				executors.add(executor);
			}
		}
	}

}
