package io.llmspell.lua;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.llmspell.llm.Usage;

/** A run's LLM consumption: calls made and tokens reported. */
public final class RunUsage {

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong promptTokens = new AtomicLong();

	private final AtomicLong completionTokens = new AtomicLong();

	void callStarted() {
		calls.incrementAndGet();
	}

	void add(Usage usage) {
		if (usage != null) {
			promptTokens.addAndGet(usage.promptTokens());
			completionTokens.addAndGet(usage.completionTokens());
		}
	}

	public long calls() {
		return calls.get();
	}

	/**
	 * As the {@code done} event's {@code usage}:
	 * {@code calls, promptTokens, completionTokens}.
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("calls", calls.get());
		map.put("promptTokens", promptTokens.get());
		map.put("completionTokens", completionTokens.get());
		return map;
	}

}
