package io.llmspell.lua;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code error} event of a failed run.
 *
 * @param kind {@code lua}, {@code limit}, {@code llm}, {@code cancelled} or
 * {@code internal}
 * @param line the spell's line where a Lua error was raised, or null
 * @param limit the limit's name when {@code kind} is {@code limit}, or null
 */
public record RunError(String kind, String message, Integer line, String traceback, String limit) {

	public Map<String, Object> toMap() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("kind", kind);
		data.put("message", message);
		data.put("line", line);
		data.put("traceback", traceback);
		if (limit != null) {
			data.put("limit", limit);
		}
		return data;
	}

}
