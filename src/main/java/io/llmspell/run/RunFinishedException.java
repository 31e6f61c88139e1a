package io.llmspell.run;

/** A change asked of a run that has already finished (cancelling it, for one). */
public class RunFinishedException extends RuntimeException {

	private final String runId;

	private final String status;

	public RunFinishedException(String runId, String status) {
		super("run '" + runId + "' has already finished with status '" + status + "'");
		this.runId = runId;
		this.status = status;
	}

	public String runId() {
		return runId;
	}

	/**
	 * How it ended: {@code ok}, {@code error}, {@code timeout}, {@code limit} or
	 * {@code cancelled}.
	 */
	public String status() {
		return status;
	}

}
