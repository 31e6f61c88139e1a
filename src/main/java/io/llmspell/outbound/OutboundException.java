package io.llmspell.outbound;

/**
 * A request refused or failed. The message is short and safe to show to a spell: it says
 * what was refused and why, never a header value or a response body.
 */
public class OutboundException extends RuntimeException {

	private final String outcome;

	/**
	 * @param outcome for the metrics: {@code refused}, {@code too_large},
	 * {@code timeout}, {@code error}
	 */
	public OutboundException(String outcome, String message) {
		super(message);
		this.outcome = outcome;
	}

	public String outcome() {
		return this.outcome;
	}

	static OutboundException refused(String message) {
		return new OutboundException("refused", "http: " + message);
	}

}
