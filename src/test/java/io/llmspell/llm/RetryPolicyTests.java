package io.llmspell.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

	private final RetryPolicy policy = new RetryPolicy("test",
			LlmProperties.defaults().withRetries(2, Duration.ofMillis(500), Duration.ofSeconds(8)),
			new LlmMetrics(new SimpleMeterRegistry()), Clock.fixed(NOW, ZoneOffset.UTC));

	private static WebClientResponseException status(int status, HttpHeaders headers) {
		return WebClientResponseException.create(status, "x", headers, new byte[0], StandardCharsets.UTF_8);
	}

	private static HttpHeaders headers(String name, String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.add(name, value);
		return headers;
	}

	@ParameterizedTest
	@ValueSource(ints = { 408, 409, 429, 500, 502, 503, 504, 529 })
	void retryableStatuses(int status) {
		assertThat(RetryPolicy.isRetryable(status(status, new HttpHeaders()))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 401, 403, 404, 422 })
	void finalStatuses(int status) {
		assertThat(RetryPolicy.isRetryable(status(status, new HttpHeaders()))).isFalse();
	}

	@Test
	void otherFailures() {
		assertThat(RetryPolicy.isRetryable(new WebClientRequestException(new IOException("refused"), HttpMethod.POST,
				java.net.URI.create("http://x"), new HttpHeaders())))
			.isTrue();
		assertThat(RetryPolicy.isRetryable(new LlmException("test", "too many queued requests"))).isFalse();
		assertThat(RetryPolicy.isRetryable(new TimeoutException())).isFalse();
		assertThat(RetryPolicy.isRetryable(status(500, headers("x-should-retry", "false")))).isFalse();
		assertThat(RetryPolicy.isRetryable(status(400, headers("x-should-retry", "true")))).isTrue();
	}

	@Test
	void retryAfterInAllItsForms() {
		assertThat(policy.retryAfter(headers("Retry-After", "2"))).isEqualTo(Duration.ofSeconds(2));
		assertThat(policy.retryAfter(headers("Retry-After", "0.5"))).isEqualTo(Duration.ofMillis(500));
		assertThat(policy.retryAfter(headers("retry-after-ms", "1500"))).isEqualTo(Duration.ofMillis(1500));
		assertThat(policy.retryAfter(headers("Retry-After", "Wed, 01 Jan 2025 12:00:07 GMT")))
			.isEqualTo(Duration.ofSeconds(7));
		assertThat(policy.retryAfter(headers("Retry-After", "Wed, 01 Jan 2025 11:00:00 GMT"))).isEqualTo(Duration.ZERO);
		assertThat(policy.retryAfter(headers("Retry-After", "soon"))).isNull();
		assertThat(policy.retryAfter(new HttpHeaders())).isNull();
	}

	@Test
	void retryAfterWinsOverBackoffButIsCapped() {
		assertThat(policy.delayBeforeRetry(status(429, headers("Retry-After", "3")), 0))
			.isEqualTo(Duration.ofSeconds(3));
		assertThat(policy.delayBeforeRetry(status(429, headers("Retry-After", "3600")), 0))
			.isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void backoffGrowsWithJitterUpToTheMaximum() {
		for (int i = 0; i < 50; i++) {
			assertThat(policy.backoff(0).toMillis()).isBetween(375L, 500L);
			assertThat(policy.backoff(1).toMillis()).isBetween(750L, 1000L);
			assertThat(policy.backoff(3).toMillis()).isBetween(3000L, 4000L);
			assertThat(policy.backoff(10).toMillis()).isBetween(6000L, 8000L);
			assertThat(policy.backoff(100).toMillis()).isBetween(6000L, 8000L);
		}
		assertThat(java.util.stream.IntStream.range(0, 50)
			.mapToLong((i) -> policy.backoff(0).toMillis())
			.distinct()
			.count()).as("jitter").isGreaterThan(1);
	}

}
