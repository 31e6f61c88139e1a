package io.llmspell.llm;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by every provider, under {@code llmspell.llm}.
 *
 * @param provider the default provider; empty picks the first configured real provider,
 * else {@code mock}
 * @param timeout the per-call timeout when a spell sets none: the whole call, including
 * waiting for a free slot, retries and (for a streamed call) the whole stream, must
 * finish within it
 * @param maxRetries how many times a failed call is retried (connection errors, 408, 409,
 * 429, 5xx)
 * @param initialBackoff the delay before the first retry; doubles on each further retry
 * (with jitter)
 * @param maxBackoff the longest computed delay between two attempts
 * @param retryAfterCap the longest delay a provider's {@code Retry-After} may impose
 * @param maxConcurrent how many requests one provider may have in flight at once
 * @param maxQueued how many calls may wait for a free slot per provider; more fail at
 * once
 */
@ConfigurationProperties("llmspell.llm")
public record LlmProperties(String provider, Duration timeout, int maxRetries, Duration initialBackoff,
		Duration maxBackoff, Duration retryAfterCap, int maxConcurrent, int maxQueued) {

	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	@ConstructorBinding
	public LlmProperties(String provider, @DefaultValue("60s") Duration timeout, @DefaultValue("2") int maxRetries,
			@DefaultValue("500ms") Duration initialBackoff, @DefaultValue("8s") Duration maxBackoff,
			@DefaultValue("30s") Duration retryAfterCap, @DefaultValue("64") int maxConcurrent,
			@DefaultValue("1000") int maxQueued) {
		this.provider = provider;
		this.timeout = (timeout != null && !timeout.isZero() && !timeout.isNegative()) ? timeout : DEFAULT_TIMEOUT;
		this.maxRetries = Math.max(0, maxRetries);
		this.initialBackoff = (initialBackoff != null) ? initialBackoff : Duration.ofMillis(500);
		this.maxBackoff = (maxBackoff != null) ? maxBackoff : Duration.ofSeconds(8);
		this.retryAfterCap = (retryAfterCap != null) ? retryAfterCap : Duration.ofSeconds(30);
		if (maxConcurrent < 1) {
			throw new IllegalArgumentException("llmspell.llm.max-concurrent must be at least 1, not " + maxConcurrent);
		}
		if (maxQueued < 0) {
			throw new IllegalArgumentException("llmspell.llm.max-queued must not be negative, not " + maxQueued);
		}
		this.maxConcurrent = maxConcurrent;
		this.maxQueued = maxQueued;
	}

	/** The former two-setting form; everything else takes its default. */
	public LlmProperties(String provider, Duration timeout) {
		this(provider, timeout, 2, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30), 64, 1000);
	}

	/** Every setting at its default. */
	public static LlmProperties defaults() {
		return new LlmProperties(null, DEFAULT_TIMEOUT);
	}

	public LlmProperties withLimits(int newMaxConcurrent, int newMaxQueued) {
		return new LlmProperties(provider, timeout, maxRetries, initialBackoff, maxBackoff, retryAfterCap,
				newMaxConcurrent, newMaxQueued);
	}

	public LlmProperties withRetries(int newMaxRetries, Duration newInitialBackoff, Duration newMaxBackoff) {
		return new LlmProperties(provider, timeout, newMaxRetries, newInitialBackoff, newMaxBackoff, retryAfterCap,
				maxConcurrent, maxQueued);
	}

	public LlmProperties withTimeout(Duration newTimeout) {
		return new LlmProperties(provider, newTimeout, maxRetries, initialBackoff, maxBackoff, retryAfterCap,
				maxConcurrent, maxQueued);
	}

}
