package io.llmspell.llm;

/**
 * A failed LLM call. The message is short and safe to show to a spell and a client:
 * provider, status and the provider's own message; never an API key or a whole response
 * body.
 */
public class LlmException extends RuntimeException {

	private final String provider;

	private final int status;

	public LlmException(String provider, int status, String message) {
		super(format(provider, status, message));
		this.provider = provider;
		this.status = status;
	}

	public LlmException(String provider, String message) {
		this(provider, 0, message);
	}

	private static String format(String provider, int status, String message) {
		return provider + ": " + ((status > 0) ? status + " " : "") + message;
	}

	public String provider() {
		return provider;
	}

	/**
	 * The HTTP status, or 0 when the call failed without one (connection, timeout,
	 * stream).
	 */
	public int status() {
		return status;
	}

}
