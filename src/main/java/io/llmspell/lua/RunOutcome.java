package io.llmspell.lua;

import java.util.Map;

/**
 * How a run ended.
 *
 * @param status {@code ok}, {@code error}, {@code timeout}, {@code limit} or
 * {@code cancelled}
 * @param result what the main chunk returned, as plain Java (JSON-ready), or null
 * @param error why it failed, or null when it did not
 * @param usage the {@code done} event's usage totals
 */
public record RunOutcome(String status, Object result, RunError error, Map<String, Object> usage, long durationMs) {

	/** A run that ended before any Lua ran. */
	public static RunOutcome failed(String status, RunError error) {
		return new RunOutcome(status, null, error, Map.of("calls", 0L, "promptTokens", 0L, "completionTokens", 0L), 0);
	}

	public boolean ok() {
		return "ok".equals(status);
	}

}
