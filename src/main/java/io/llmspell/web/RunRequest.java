package io.llmspell.web;

import java.util.Map;

/**
 * The body of a run request: {@code {"params": {...}, "options": {...}}}, both optional.
 */
record RunRequest(Map<String, Object> params, Map<String, Object> options) {

	static final RunRequest EMPTY = new RunRequest(Map.of(), Map.of());

}
