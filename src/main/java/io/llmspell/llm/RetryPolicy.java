package io.llmspell.llm;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * When and after how long a failed provider call is tried again: on connection errors,
 * 408, 409, 429, 5xx (Anthropic's 529 included), never on other 4xx. The delay is
 * exponential with jitter, {@code initialBackoff * 2^n} capped by {@code maxBackoff} and
 * lowered by up to a quarter at random, unless the provider names one in
 * {@code retry-after-ms} or {@code Retry-After} (seconds or an HTTP date), which is
 * honoured up to {@code retryAfterCap}.
 */
public final class RetryPolicy {

	/** The share of the computed backoff that jitter may take away. */
	static final double JITTER = 0.25;

	private final String provider;

	private final LlmProperties properties;

	private final LlmMetrics metrics;

	private final Clock clock;

	public RetryPolicy(String provider, LlmProperties properties, LlmMetrics metrics) {
		this(provider, properties, metrics, Clock.systemUTC());
	}

	RetryPolicy(String provider, LlmProperties properties, LlmMetrics metrics, Clock clock) {
		this.provider = provider;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * {@code attempt}, subscribed again after each retryable failure, up to
	 * {@code maxRetries} times. One {@code onErrorResume} per try rather than
	 * {@code retryWhen}'s companion publisher: a call that succeeds (nearly all) pays for
	 * one cheap operator, and the delay can come from the failure (a server's
	 * {@code Retry-After}), which Reactor's {@code Retry.backoff} cannot do.
	 */
	public <T> Mono<T> retrying(Mono<T> attempt) {
		return retrying(attempt, 0);
	}

	/**
	 * {@code attempt} as {@link #retrying(Mono)} does, while {@code stillRetryable} says
	 * so ({@code false}, say, once a stream has delivered a chunk, makes a failure
	 * final).
	 */
	public <T> Flux<T> retrying(Flux<T> attempt, BooleanSupplier stillRetryable) {
		return retrying(attempt, stillRetryable, 0);
	}

	private <T> Mono<T> retrying(Mono<T> attempt, long retriesSoFar) {
		return attempt.onErrorResume((failure) -> {
			Duration delay = nextDelay(failure, retriesSoFar, () -> true);
			return (delay != null) ? Mono.delay(delay).then(retrying(attempt, retriesSoFar + 1)) : Mono.error(failure);
		});
	}

	private <T> Flux<T> retrying(Flux<T> attempt, BooleanSupplier stillRetryable, long retriesSoFar) {
		return attempt.onErrorResume((failure) -> {
			Duration delay = nextDelay(failure, retriesSoFar, stillRetryable);
			return (delay != null) ? Mono.delay(delay).thenMany(retrying(attempt, stillRetryable, retriesSoFar + 1))
					: Flux.error(failure);
		});
	}

	/**
	 * How long to wait before trying again after {@code failure}, counted as a retry;
	 * {@code null} when the failure is final.
	 */
	Duration nextDelay(Throwable failure, long retriesSoFar, BooleanSupplier stillRetryable) {
		if (retriesSoFar >= properties.maxRetries() || !isRetryable(failure) || !stillRetryable.getAsBoolean()) {
			return null;
		}
		metrics.retried(provider, reason(failure));
		return delayBeforeRetry(failure, retriesSoFar);
	}

	/** Whether trying again may help. */
	public static boolean isRetryable(Throwable error) {
		Throwable failure = LlmErrors.unwrap(error);
		if (failure instanceof WebClientResponseException response) {
			String shouldRetry = response.getHeaders().getFirst("x-should-retry");
			if ("false".equalsIgnoreCase(shouldRetry)) {
				return false;
			}
			if ("true".equalsIgnoreCase(shouldRetry)) {
				return true;
			}
			return isRetryableStatus(response.getStatusCode().value());
		}
		if (failure instanceof WebClientRequestException) {
			return true;
		}
		// the connection broke while the body was read
		return !(failure instanceof LlmException) && LlmErrors.hasCause(failure, IOException.class);
	}

	public static boolean isRetryableStatus(int status) {
		return status == 408 || status == 409 || status == 429 || status >= 500;
	}

	/**
	 * The tag value of {@code llmspell.llm.retries}: the status, or {@code connection}.
	 */
	static String reason(Throwable error) {
		Throwable failure = LlmErrors.unwrap(error);
		if (failure instanceof WebClientResponseException response) {
			return String.valueOf(response.getStatusCode().value());
		}
		return "connection";
	}

	Duration delayBeforeRetry(Throwable failure, long retriesSoFar) {
		if (failure instanceof WebClientResponseException response && response.getStatusCode().isError()) {
			Duration retryAfter = retryAfter(response.getHeaders());
			if (retryAfter != null) {
				return min(retryAfter, properties.retryAfterCap());
			}
		}
		return backoff(retriesSoFar);
	}

	/**
	 * The exponential delay before retry number {@code retriesSoFar + 1}, with jitter.
	 */
	Duration backoff(long retriesSoFar) {
		long initial = Math.max(1, properties.initialBackoff().toMillis());
		long max = Math.max(initial, properties.maxBackoff().toMillis());
		long nominal = (retriesSoFar >= 30) ? max : Math.min(max, initial << retriesSoFar);
		double jitter = 1 - JITTER * ThreadLocalRandom.current().nextDouble();
		return Duration.ofMillis(Math.round(nominal * jitter));
	}

	/**
	 * What the provider asks us to wait, or {@code null} when it does not say (or says
	 * nonsense).
	 */
	Duration retryAfter(HttpHeaders headers) {
		String millis = headers.getFirst("retry-after-ms");
		if (millis != null) {
			try {
				double value = Double.parseDouble(millis.strip());
				if (value >= 0 && Double.isFinite(value)) {
					return Duration.ofMillis(Math.round(value));
				}
			}
			catch (NumberFormatException ex) {
				// try Retry-After
			}
		}
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			double seconds = Double.parseDouble(value.strip());
			return (seconds >= 0 && Double.isFinite(seconds)) ? Duration.ofMillis(Math.round(seconds * 1000)) : null;
		}
		catch (NumberFormatException ex) {
			// an HTTP date
		}
		try {
			ZonedDateTime date = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
			Duration until = Duration.between(clock.instant(), date.toInstant());
			return until.isNegative() ? Duration.ZERO : until;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
