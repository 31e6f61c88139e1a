package io.llmspell.llm;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;

/**
 * The provider metrics: {@code llmspell.llm.requests} (timer; provider, model, outcome =
 * success|error|cancelled|timeout), {@code llmspell.llm.tokens} (counter; provider,
 * model, type = prompt|completion) and {@code llmspell.llm.retries} (counter; provider,
 * reason).
 */
public final class LlmMetrics {

	public static final String REQUESTS = "llmspell.llm.requests";

	public static final String TOKENS = "llmspell.llm.tokens";

	public static final String RETRIES = "llmspell.llm.retries";

	private final MeterRegistry registry;

	public LlmMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * {@code call}, timed from subscription to its end, with the tokens of every usage
	 * its items report counted. A {@link TimeoutException} counts as {@code timeout}, so
	 * this goes before errors are mapped to {@link LlmException}.
	 */
	public <T> Flux<T> record(String provider, String model, Flux<T> call, Function<T, Usage> usageOf) {
		return Flux.defer(() -> {
			Timer.Sample sample = Timer.start(registry);
			AtomicBoolean recorded = new AtomicBoolean();
			// recorded before the end signal travels on, so that whoever sees the end
			// sees the metric
			Consumer<String> stop = (outcome) -> {
				if (recorded.compareAndSet(false, true)) {
					sample.stop(Timer.builder(REQUESTS)
						.description("LLM provider calls")
						.tag("provider", provider)
						.tag("model", String.valueOf(model))
						.tag("outcome", outcome)
						.register(registry));
				}
			};
			return call.doOnNext((item) -> tokens(provider, model, (usageOf != null) ? usageOf.apply(item) : null))
				.doOnComplete(() -> stop.accept("success"))
				.doOnError((error) -> stop.accept((error instanceof TimeoutException) ? "timeout" : "error"))
				.doOnCancel(() -> stop.accept("cancelled"));
		});
	}

	public void tokens(String provider, String model, Usage usage) {
		if (usage == null) {
			return;
		}
		count(provider, model, "prompt", usage.promptTokens());
		count(provider, model, "completion", usage.completionTokens());
	}

	private void count(String provider, String model, String type, long amount) {
		if (amount > 0) {
			Counter.builder(TOKENS)
				.description("Tokens LLM calls consumed")
				.tag("provider", provider)
				.tag("model", String.valueOf(model))
				.tag("type", type)
				.register(registry)
				.increment(amount);
		}
	}

	public void retried(String provider, String reason) {
		Counter.builder(RETRIES)
			.description("LLM provider calls tried again")
			.tag("provider", provider)
			.tag("reason", reason)
			.register(registry)
			.increment();
	}

}
