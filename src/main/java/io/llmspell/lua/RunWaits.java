package io.llmspell.lua;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a blocking module call waits for non-blocking work: the run's own thread parks
 * until the future completes, in short slices ({@link TimedWait}s), checking the run's
 * guard between them, so a cancelled or timed-out run stops waiting at once; the work
 * itself runs elsewhere (event loops, bounded schedulers). Whatever is left of the work
 * when the wait ends is cancelled.
 */
final class RunWaits {

	private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private RunWaits() {
	}

	/**
	 * The future's value.
	 * @throws ExecutionException with the work's own failure as its cause
	 */
	static <T> T await(RunGuard guard, CompletableFuture<T> future) throws ExecutionException {
		try {
			if (!future.isDone()) {
				Thread thread = Thread.currentThread();
				future.whenComplete((value, failure) -> LockSupport.unpark(thread));
			}
			while (true) {
				guard.checkpoint();
				if (future.isDone()) {
					return future.get();
				}
				parkOneSlice(guard, future::isDone, future);
			}
		}
		catch (InterruptedException ex) {
			throw guard.interrupted();
		}
		finally {
			future.cancel(true);
		}
	}

	/**
	 * Parks the current thread until {@code ready}, for up to one slice (whoever makes it
	 * ready unparks the thread); an interrupt is the guard's error.
	 */
	static void parkOneSlice(RunGuard guard, BooleanSupplier ready, Object blocker) {
		try (TimedWait wait = TimedWait.of(slice(guard))) {
			while (!ready.getAsBoolean() && !Thread.currentThread().isInterrupted() && wait.park(blocker)) {
				// woken early: look again
			}
		}
		if (Thread.interrupted()) {
			throw guard.interrupted();
		}
	}

	/** How long one park may last: a slice, or what is left of the run's time. */
	static long slice(RunGuard guard) {
		return Math.min(SLICE_NANOS, Math.max(1, guard.remainingNanos()));
	}

}
