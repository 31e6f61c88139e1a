package io.llmspell.lua;

import java.util.Map;

/**
 * How a run ended.
 *
 * @param status {@code ok}, {@code error}, {@code timeout}, {@code limit} or {@code cancelled}
 * @param result what the main chunk returned, as plain Java (JSON-ready), or null
 * @param error why it failed, or null when it did not
 * @param usage the {@code done} event's usage totals
 */
public record RunOutcome(String status, Object result, RunError error, Map<String, Object> usage, long durationMs) {

	public boolean ok() {
		return "ok".equals(status);
	}

}
