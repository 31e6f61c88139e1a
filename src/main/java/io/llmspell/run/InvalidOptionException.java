package io.llmspell.run;

/** A request's {@code options} entry that cannot be honoured. */
public class InvalidOptionException extends RuntimeException {

	private final String option;

	public InvalidOptionException(String option, String reason) {
		super("option '" + option + "': " + reason);
		this.option = option;
	}

	public String option() {
		return option;
	}

}
