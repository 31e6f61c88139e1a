package io.llmspell.tools;

/** A function-calling loop that went on past its {@code max_steps}. */
public class ToolLoopException extends RuntimeException {

	public ToolLoopException(String message) {
		super(message, null, false, false);
	}

}
