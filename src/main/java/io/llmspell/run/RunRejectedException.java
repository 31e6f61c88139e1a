package io.llmspell.run;

import java.time.Duration;

/**
 * The server is at its run limit (or shutting down): try again after
 * {@link #retryAfter()}.
 */
public class RunRejectedException extends RuntimeException {

	private final Duration retryAfter;

	private final boolean unavailable;

	public RunRejectedException(String message, Duration retryAfter, boolean unavailable) {
		super(message);
		this.retryAfter = retryAfter;
		this.unavailable = unavailable;
	}

	public Duration retryAfter() {
		return retryAfter;
	}

	/**
	 * True when the whole service is unavailable (503), false when it is only busy (429).
	 */
	public boolean unavailable() {
		return unavailable;
	}

}
