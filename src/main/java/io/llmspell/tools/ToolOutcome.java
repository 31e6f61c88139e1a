package io.llmspell.tools;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * What one tool call gave: a result, or an error. {@code args} are the arguments as
 * decoded (or the raw text when they were no JSON).
 */
public record ToolOutcome(String name, Object args, boolean ok, Object result, String error) {

	public static ToolOutcome success(String name, Object args, Object result) {
		return new ToolOutcome(name, args, true, result, null);
	}

	public static ToolOutcome failure(String name, Object args, String error) {
		return new ToolOutcome(name, args, false, null, error);
	}

	/**
	 * What the model reads: a string result as it is, other results as JSON, an error as
	 * {@code {"error": "..."}}.
	 */
	public String content() {
		if (!ok) {
			return JsonMapper.shared().writeValueAsString(Map.of("error", error));
		}
		return (result instanceof String text) ? text : JsonMapper.shared().writeValueAsString(result);
	}

}
