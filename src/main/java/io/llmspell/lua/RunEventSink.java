package io.llmspell.lua;

import java.util.Map;

/**
 * Where a run's events go: {@code output}, {@code log}, {@code chunk}, {@code callback}.
 */
@FunctionalInterface
public interface RunEventSink {

	void emit(String event, Map<String, Object> data);

}
