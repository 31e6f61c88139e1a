package io.llmspell.lua;

/** A limit override ({@code spell.yaml} or a request's options) that cannot be used. */
public class InvalidLimitException extends IllegalArgumentException {

	private final String limit;

	private final String reason;

	public InvalidLimitException(String limit, String reason) {
		super(reason);
		this.limit = limit;
		this.reason = reason;
	}

	/** The limit's name ({@code timeout}, {@code max-instructions}, ...). */
	public String limit() {
		return limit;
	}

	public String reason() {
		return reason;
	}

}
