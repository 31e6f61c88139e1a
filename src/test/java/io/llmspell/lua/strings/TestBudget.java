package io.llmspell.lua.strings;

import java.time.Duration;

/**
 * A {@link StringBudget} for tests: a size limit, an optional deadline, and a record of
 * what was reported.
 */
final class TestBudget implements StringBudget {

	/**
	 * Thrown by {@link #checkpoint()} after the deadline, the way the sandbox stops a
	 * run.
	 */
	static final class DeadlineExceeded extends Error {

		DeadlineExceeded() {
			super("deadline exceeded");
		}

	}

	private final long maxStringSize;

	private final long deadlineNanos;

	long allocated;

	long checkpoints;

	private TestBudget(long maxStringSize, long deadlineNanos) {
		this.maxStringSize = maxStringSize;
		this.deadlineNanos = deadlineNanos;
	}

	static TestBudget of(long maxStringSize) {
		return new TestBudget(maxStringSize, Long.MAX_VALUE);
	}

	static TestBudget withDeadline(long maxStringSize, Duration timeout) {
		return new TestBudget(maxStringSize, System.nanoTime() + timeout.toNanos());
	}

	@Override
	public long maxStringSize() {
		return maxStringSize;
	}

	@Override
	public void checkpoint() {
		checkpoints++;
		if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
			throw new DeadlineExceeded();
		}
	}

	@Override
	public void allocated(long bytes) {
		allocated += bytes;
	}

}
