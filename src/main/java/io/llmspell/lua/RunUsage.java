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

	// whether any call reported usage: a provider that reports none leaves the tokens
	// unknown (null), not 0
	private volatile boolean reported;

	void callStarted() {
		calls.incrementAndGet();
	}

	void add(Usage usage) {
		if (usage != null) {
			reported = true;
			promptTokens.addAndGet(usage.promptTokens());
			completionTokens.addAndGet(usage.completionTokens());
		}
	}

	public long calls() {
		return calls.get();
	}

	/**
	 * As the {@code done} event's {@code usage}:
	 * {@code calls, promptTokens, completionTokens}; the token counts are the sums of
	 * what providers reported, and null (unknown) when calls were made and none reported
	 * any.
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		long made = calls.get();
		boolean known = made == 0 || reported;
		map.put("calls", made);
		map.put("promptTokens", known ? promptTokens.get() : null);
		map.put("completionTokens", known ? completionTokens.get() : null);
		return map;
	}

}
