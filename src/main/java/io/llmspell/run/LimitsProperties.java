package io.llmspell.run;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import io.llmspell.lua.CoroutineThreads;
import io.llmspell.lua.RunLimits;

/**
 * The server's limits, under {@code llmspell.limits}. Per-run limits are the ceiling that
 * a spell's {@code spell.yaml} and a request's {@code options} may lower, never raise.
 *
 * @param runTimeout wall-clock time of one run
 * @param maxConcurrentRuns runs executing at once
 * @param maxQueuedRuns runs admitted and waiting for a slot; past both, requests get 429
 * @param maxBodySize the largest request body accepted (413 past it)
 * @param heapThreshold the share of the heap still in use after a full collection past
 * which the run that holds the most is stopped ({@link HeapGuard})
 * @param maxLlmCalls LLM calls one run may have in flight or queued at once
 * @param maxCoroutineThreads coroutine threads alive at once across the service; 0 for
 * the default: {@code max-concurrent-runs} x {@code max-coroutines} where coroutines run
 * on virtual threads (Java 21+), {@link CoroutineThreads#DEFAULT_PLATFORM_MAX} where each
 * is a platform thread (Java 17)
 * @param maxHttpRequests requests one run's {@code http} module may send
 * @param maxHttpResponseBytes the largest body of one {@code http} response
 * @param httpTimeout the longest one {@code http} request may take
 * @param maxEventBytes the largest single event a run may send (its data as JSON)
 */
@ConfigurationProperties("llmspell.limits")
public record LimitsProperties(@DefaultValue("60s") Duration runTimeout, @DefaultValue("200") int maxConcurrentRuns,
		@DefaultValue("100") int maxQueuedRuns, @DefaultValue("200000000") long maxInstructions,
		@DefaultValue("256MB") DataSize maxMemory, @DefaultValue("1MB") DataSize maxOutputBytes,
		@DefaultValue("10000") long maxOutputEvents, @DefaultValue("1000") long maxPending,
		@DefaultValue("256") long maxCoroutines, @DefaultValue("16MB") DataSize maxStringSize,
		@DefaultValue("200") long maxCallDepth, @DefaultValue("256KB") DataSize maxBodySize,
		@DefaultValue("0.85") double heapThreshold, @DefaultValue("256") long maxLlmCalls,
		@DefaultValue("0") int maxCoroutineThreads, @DefaultValue("100") long maxHttpRequests,
		@DefaultValue("5MB") DataSize maxHttpResponseBytes, @DefaultValue("30s") Duration httpTimeout,
		@DefaultValue("1MB") DataSize maxEventBytes) {

	/** The per-run ceiling these settings give. */
	public RunLimits runLimits() {
		return new RunLimits(runTimeout, maxInstructions, maxMemory.toBytes(), maxOutputBytes.toBytes(),
				maxOutputEvents, maxPending, maxCoroutines, maxStringSize.toBytes(), maxCallDepth, maxLlmCalls,
				maxHttpRequests, maxHttpResponseBytes.toBytes(), httpTimeout, maxEventBytes.toBytes());
	}

	/** The service-wide bound on coroutine threads these settings give. */
	public CoroutineThreads coroutineThreads() {
		long product = (long) maxConcurrentRuns * maxCoroutines;
		return new CoroutineThreads(maxCoroutineThreads, (int) Math.min(Integer.MAX_VALUE, product));
	}

}
