package io.llmspell.run;

/**
 * No run with this id on this instance: never started here, or finished and no longer
 * retained.
 */
public class UnknownRunException extends RuntimeException {

	private final String runId;

	public UnknownRunException(String runId) {
		super("no run '" + runId + "' on this instance (unknown, or finished and no longer retained)");
		this.runId = runId;
	}

	public String runId() {
		return runId;
	}

}
