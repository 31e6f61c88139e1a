package io.llmspell.spell;

/**
 * A request's parameter that does not fit the spell: unknown, missing, of the wrong type
 * or value.
 */
public class InvalidParameterException extends RuntimeException {

	private final String parameter;

	private final String reason;

	public InvalidParameterException(String parameter, String reason) {
		super("parameter '" + parameter + "': " + reason);
		this.parameter = parameter;
		this.reason = reason;
	}

	public String parameter() {
		return parameter;
	}

	/**
	 * What is wrong with it, without the parameter's name
	 * ({@code expected integer, got "abc"}).
	 */
	public String reason() {
		return reason;
	}

}
