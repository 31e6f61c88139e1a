package io.llmspell.llm;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.observability.DefaultSignalListener;
import reactor.core.observability.SignalListener;

/**
 * The provider metrics: {@code llmspell.llm.requests} (timer; provider, model, outcome =
 * success|error|cancelled|timeout), {@code llmspell.llm.tokens} (counter; provider,
 * model, type = prompt|completion) and {@code llmspell.llm.retries} (counter; provider,
 * reason).
 * <p>
 * A call is measured by one {@code tap} operator, and each meter is looked up once per
 * provider, model and tag value, not once per call: this sits on every LLM call.
 */
public final class LlmMetrics {

	public static final String REQUESTS = "llmspell.llm.requests";

	public static final String TOKENS = "llmspell.llm.tokens";

	public static final String RETRIES = "llmspell.llm.retries";

	private final MeterRegistry registry;

	/** By provider, then model: found once per call, each meter registered once. */
	private final ConcurrentMap<String, ConcurrentMap<String, ModelMeters>> meters = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Counter> retries = new ConcurrentHashMap<>();

	public LlmMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * A listener for {@code tap}: the call timed from subscription to its end, with the
	 * tokens of every usage its items report counted. A {@link TimeoutException} counts
	 * as {@code timeout}, so this goes before errors are mapped to {@link LlmException}.
	 * @param single whether the call is a {@code Mono}: its value is its success,
	 * recorded before the value travels on, so that whoever sees the answer sees the
	 * metric
	 */
	public <T> SignalListener<T> recorder(String provider, String model, Function<T, Usage> usageOf, boolean single) {
		return new Recorder<>(meters(provider, String.valueOf(model)), usageOf, single);
	}

	public void tokens(String provider, String model, Usage usage) {
		meters(provider, String.valueOf(model)).tokens(usage);
	}

	public void retried(String provider, String reason) {
		retries
			.computeIfAbsent(provider + '\0' + reason,
					(key) -> Counter.builder(RETRIES)
						.description("LLM provider calls tried again")
						.tag("provider", provider)
						.tag("reason", reason)
						.register(registry))
			.increment();
	}

	private ModelMeters meters(String provider, String model) {
		return meters.computeIfAbsent(provider, (name) -> new ConcurrentHashMap<>())
			.computeIfAbsent(model, (name) -> new ModelMeters(provider, name));
	}

	/**
	 * One provider's and model's meters, each registered the first time it has something
	 * to show (no zero series for outcomes that never happened).
	 */
	private final class ModelMeters {

		private final String provider;

		private final String model;

		private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>(4);

		private final ConcurrentMap<String, Counter> tokens = new ConcurrentHashMap<>(2);

		ModelMeters(String provider, String model) {
			this.provider = provider;
			this.model = model;
		}

		Timer timer(String outcome) {
			return timers.computeIfAbsent(outcome,
					(key) -> Timer.builder(REQUESTS)
						.description("LLM provider calls")
						.tag("provider", provider)
						.tag("model", model)
						.tag("outcome", outcome)
						.register(registry));
		}

		void tokens(Usage usage) {
			if (usage != null) {
				count("prompt", usage.promptTokens());
				count("completion", usage.completionTokens());
			}
		}

		private void count(String type, long amount) {
			if (amount > 0) {
				tokens
					.computeIfAbsent(type,
							(key) -> Counter.builder(TOKENS)
								.description("Tokens LLM calls consumed")
								.tag("provider", provider)
								.tag("model", model)
								.tag("type", type)
								.register(registry))
					.increment(amount);
			}
		}

	}

	/** One call's measurement. */
	private final class Recorder<T> extends DefaultSignalListener<T> {

		private final ModelMeters meters;

		private final Function<T, Usage> usageOf;

		private final boolean single;

		// a cancel may race with the end
		private final AtomicBoolean recorded = new AtomicBoolean();

		private long start;

		Recorder(ModelMeters meters, Function<T, Usage> usageOf, boolean single) {
			this.meters = meters;
			this.usageOf = usageOf;
			this.single = single;
		}

		@Override
		public void doFirst() {
			this.start = registry.config().clock().monotonicTime();
		}

		@Override
		public void doOnNext(T item) {
			if (usageOf != null) {
				meters.tokens(usageOf.apply(item));
			}
			if (single) {
				stop("success");
			}
		}

		@Override
		public void doOnComplete() {
			stop("success");
		}

		@Override
		public void doOnError(Throwable error) {
			stop((error instanceof TimeoutException) ? "timeout" : "error");
		}

		@Override
		public void doOnCancel() {
			stop("cancelled");
		}

		private void stop(String outcome) {
			if (recorded.compareAndSet(false, true)) {
				meters.timer(outcome).record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
			}
		}

	}

}
