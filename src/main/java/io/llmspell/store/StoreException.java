package io.llmspell.store;

/**
 * A failed storage call. The message is short and safe to show to a spell: it names what
 * failed, never a path, a host or a password.
 */
public class StoreException extends RuntimeException {

	public StoreException(String message) {
		super(message);
	}

	public StoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
