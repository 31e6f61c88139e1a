package io.llmspell.lua;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;

/**
 * One timed wait of a run's thread, on a timer all runs share. A virtual thread's timed
 * park schedules a task of its own in the JDK's delay scheduler and cancels it when woken
 * first; with thousands of runs each waiting in 0.1 s slices ({@code process_callbacks}'
 * default, the 100 ms slices of a blocking call), those schedules and cancels, and the
 * scheduler thread's wake for each, were ~6% of the service's CPU at 2,000 runs. Here a
 * long wait registers with Netty's hashed wheel (a queue offer; cancelling is a flag),
 * and the wheel's one thread wakes what is due every 10 ms. A long wait ends up to a tick
 * before its time, never because of the wheel after it: a wait is "up to" its time
 * everywhere it is used. Waits shorter than two ticks park exactly.
 * <p>
 * Whoever ends the wait early unparks the thread; {@link #park} may also return
 * spuriously, so callers re-check their condition in a loop.
 */
final class TimedWait implements TimerTask, AutoCloseable {

	static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final Timer WHEEL = new HashedWheelTimer(daemon(), TICK_NANOS, TimeUnit.NANOSECONDS, 128, false);

	private final Thread thread = Thread.currentThread();

	private final long deadline;

	private final Timeout alarm;

	private volatile boolean rung;

	private TimedWait(long nanos) {
		this.deadline = System.nanoTime() + nanos;
		this.alarm = (nanos >= 2 * TICK_NANOS) ? WHEEL.newTimeout(this, nanos - TICK_NANOS, TimeUnit.NANOSECONDS)
				: null;
	}

	/** A wait of the current thread for up to {@code nanos}. */
	static TimedWait of(long nanos) {
		return new TimedWait(nanos);
	}

	/**
	 * Parks the thread once. Returns {@code false} once the time is up, {@code true} if
	 * it may have been woken for another reason (an unpark, an interrupt, spuriously).
	 */
	boolean park(Object blocker) {
		if (this.alarm == null) {
			long left = this.deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			LockSupport.parkNanos(blocker, left);
			return this.deadline - System.nanoTime() > 0;
		}
		if (this.rung) {
			return false;
		}
		LockSupport.park(blocker);
		return !this.rung;
	}

	@Override
	public void run(Timeout timeout) {
		this.rung = true;
		LockSupport.unpark(this.thread);
	}

	@Override
	public void close() {
		if (this.alarm != null) {
			this.alarm.cancel();
		}
	}

	private static ThreadFactory daemon() {
		return (task) -> {
			Thread thread = new Thread(task, "llmspell-timed-waits");
			thread.setDaemon(true);
			return thread;
		};
	}

}
