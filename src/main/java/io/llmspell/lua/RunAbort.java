package io.llmspell.lua;

/**
 * Stops a run from inside the Lua VM. It is an {@link Error}, not an exception, because
 * LuaJ's {@code pcall}, {@code xpcall} and error handlers catch
 * {@link RuntimeException}s: a spell must not be able to swallow its own timeout. Once a
 * run is aborted, every further hook call throws it again, so code that catches it anyway
 * (a coroutine's body) stops at its next instruction.
 */
public final class RunAbort extends Error {

	/** Why the run stopped; maps to the {@code done} status. */
	public enum Kind {

		TIMEOUT("timeout"), LIMIT("limit"), CANCELLED("cancelled");

		private final String status;

		Kind(String status) {
			this.status = status;
		}

		public String status() {
			return status;
		}

	}

	private final Kind kind;

	private final String limit;

	public RunAbort(Kind kind, String limit, String message) {
		super(message, null, false, false);
		this.kind = kind;
		this.limit = limit;
	}

	public static RunAbort limit(String limit, String message) {
		return new RunAbort(Kind.LIMIT, limit, "limit " + limit + " exceeded: " + message);
	}

	public Kind kind() {
		return kind;
	}

	/**
	 * The limit's name ({@link RunLimits#INSTRUCTIONS}, ...), or null when the run was
	 * cancelled.
	 */
	public String limit() {
		return limit;
	}

}
