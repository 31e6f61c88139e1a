package io.llmspell.tools;

import java.util.Map;

/** What a tool does: its arguments in, its result out (plain Java values, as JSON). */
@FunctionalInterface
public interface ToolHandler {

	/**
	 * Runs the tool.
	 * @throws ToolFailure when the tool fails (its {@code nil, err}, or an error it
	 * raised)
	 */
	Object call(Map<String, Object> args);

}
