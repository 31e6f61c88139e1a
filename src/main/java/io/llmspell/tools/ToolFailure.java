package io.llmspell.tools;

/** A tool call that failed; the message goes to the spell and to the model. */
public class ToolFailure extends RuntimeException {

	public ToolFailure(String message) {
		super(message, null, false, false);
	}

}
