package io.llmspell.spell;

/** A request's parameter that does not fit the spell: unknown, missing, of the wrong type or value. */
public class InvalidParameterException extends RuntimeException {

	private final String parameter;

	public InvalidParameterException(String parameter, String reason) {
		super("parameter '" + parameter + "': " + reason);
		this.parameter = parameter;
	}

	public String parameter() {
		return parameter;
	}

}
