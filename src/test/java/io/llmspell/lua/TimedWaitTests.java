package io.llmspell.lua;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A timed wait on the shared wheel: never over before its time less one tick, ended early
 * by an unpark, exact when short.
 */
class TimedWaitTests {

	private static final long MILLIS = TimeUnit.MILLISECONDS.toNanos(1);

	@Test
	void aLongWaitEndsWithinOneTickBeforeItsTimeNotEarlier() {
		long start = System.nanoTime();
		int parks = parkUntilUp(200 * MILLIS);
		long elapsed = System.nanoTime() - start;
		assertThat(elapsed).isGreaterThanOrEqualTo(200 * MILLIS - TimedWait.TICK_NANOS)
			.isLessThan(TimeUnit.SECONDS.toNanos(10));
		assertThat(parks).isPositive();
	}

	@Test
	void aShortWaitParksForItsWholeTime() {
		long start = System.nanoTime();
		parkUntilUp(15 * MILLIS);
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(15 * MILLIS);
	}

	@Test
	void anUnparkEndsOneParkEarlyAndTheWaitGoesOn() throws Exception {
		// the wheel's first use loads it (Netty's classes and logging) and starts its
		// thread behind a latch: a park in there would use up the unpark meant for the
		// park below (this test failed once so, run first in a cold JVM)
		TimedWait.of(TimeUnit.SECONDS.toNanos(30)).close();
		Thread waiter = Thread.currentThread();
		CompletableFuture<Void> unparked = CompletableFuture.runAsync(() -> {
			LockSupport.parkNanos(50 * MILLIS);
			LockSupport.unpark(waiter);
		});
		long start = System.nanoTime();
		boolean more;
		try (TimedWait wait = TimedWait.of(TimeUnit.SECONDS.toNanos(30))) {
			do {
				more = wait.park(this);
			}
			while (more && !unparked.isDone());
		}
		assertThat(more).isTrue();
		assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
		unparked.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aClosedWaitsAlarmNeverUnparksTheThreadLater() throws InterruptedException {
		// a permit another test left this thread is used up here
		LockSupport.parkNanos(1);
		try (TimedWait wait = TimedWait.of(30 * MILLIS)) {
			assertThat(wait).isNotNull();
		}
		Thread.sleep(100);
		// a fired alarm would have left the thread a permit: this park would not last
		long start = System.nanoTime();
		LockSupport.parkNanos(50 * MILLIS);
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50 * MILLIS);
	}

	/** Parks until the wait's time is up; the number of parks. */
	private int parkUntilUp(long nanos) {
		int parks = 0;
		try (TimedWait wait = TimedWait.of(nanos)) {
			do {
				parks++;
			}
			while (wait.park(this));
		}
		return parks;
	}

}
