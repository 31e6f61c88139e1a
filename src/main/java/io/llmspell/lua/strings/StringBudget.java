package io.llmspell.lua.strings;

/**
 * Limits that the sandbox imposes on the string library for the run on the current
 * thread.
 *
 * <p>
 * The string library runs in Java, out of reach of the Lua debug hook, so it has to ask
 * the run's budget itself: before building a large string and, during long loops, whether
 * the run may go on. Implementations may throw from {@link #checkpoint()} and
 * {@link #allocated(long)}; whatever they throw (typically an {@link Error}) propagates
 * to the caller untouched.
 */
public interface StringBudget {

	/** Largest string (bytes) a library function may build. */
	long maxStringSize();

	/**
	 * Called every few thousand steps of pattern matching and other long loops; may throw
	 * an Error to stop the run.
	 */
	void checkpoint();

	/**
	 * Reports that a function allocated about {@code bytes} (called for results of 64 KB
	 * or more); may throw.
	 */
	void allocated(long bytes);

	/**
	 * Called when {@code function} was asked for a result over the limit ({@code size}
	 * says how large, e.g. "123" or "up to 456"). May throw to stop the run; if it
	 * returns, the function raises a Lua error.
	 */
	default void tooLarge(String function, String size) {
	}

}
