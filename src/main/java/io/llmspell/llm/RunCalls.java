package io.llmspell.llm;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.observability.DefaultSignalListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One run's share of the providers: a bound on the LLM calls the run has in flight or
 * queued at once (past it a call fails at once, and the run goes on), and the run's name
 * in each call's Reactor context, by which every provider's {@link ConcurrencyLimiter}
 * serves runs in turn.
 */
public final class RunCalls {

	/** The limit a call past the bound names. */
	public static final String LIMIT = "max-llm-calls";

	private final String runId;

	private final long max;

	private final AtomicLong active = new AtomicLong();

	/**
	 * @param runId the run (its calls' name in the limiters)
	 * @param max LLM calls in flight or queued at once
	 */
	public RunCalls(String runId, long max) {
		this.runId = runId;
		this.max = max;
	}

	/** LLM calls of the run in flight or waiting for a slot now. */
	public long active() {
		return active.get();
	}

	/** {@code provider}, its calls counted and named as this run's. */
	public LlmProvider scoped(LlmProvider provider) {
		return (provider instanceof Scoped scoped && scoped.owner() == this) ? provider : new Scoped(provider);
	}

	/** {@code providers}, each {@linkplain #scoped(LlmProvider) scoped} to this run. */
	public LlmProviders scoped(LlmProviders providers) {
		List<LlmProvider> scoped = providers.names()
			.stream()
			.map((name) -> scoped(providers.find(name).orElseThrow()))
			.toList();
		LlmProvider chosen = providers.defaultProvider();
		return new LlmProviders(scoped, new LlmProperties((chosen != null) ? chosen.name() : null, null));
	}

	private <T> Flux<T> admit(String provider, Flux<T> call) {
		return Flux.defer(() -> {
			if (!acquire()) {
				return Flux.error(refusal(provider));
			}
			// released before the end reaches the run, so that its next call sees the
			// slot free
			return call.contextWrite((context) -> context.put(ConcurrencyLimiter.RUN, runId))
				.tap(() -> new Release<>(false));
		});
	}

	private <T> Mono<T> admit(String provider, Mono<T> call) {
		return Mono.defer(() -> {
			if (!acquire()) {
				return Mono.error(refusal(provider));
			}
			return call.contextWrite((context) -> context.put(ConcurrencyLimiter.RUN, runId))
				.tap(() -> new Release<>(true));
		});
	}

	private boolean acquire() {
		if (active.incrementAndGet() > max) {
			active.decrementAndGet();
			return false;
		}
		return true;
	}

	/**
	 * Gives the call's place back at its end (a Mono's value is its end), before the
	 * signal travels on; one operator.
	 */
	private final class Release<T> extends DefaultSignalListener<T> {

		private final AtomicBoolean released = new AtomicBoolean();

		private final boolean single;

		Release(boolean single) {
			this.single = single;
		}

		@Override
		public void doOnNext(T value) {
			if (single) {
				release();
			}
		}

		@Override
		public void doOnComplete() {
			release();
		}

		@Override
		public void doOnError(Throwable error) {
			release();
		}

		@Override
		public void doOnCancel() {
			release();
		}

		private void release() {
			if (released.compareAndSet(false, true)) {
				active.decrementAndGet();
			}
		}

	}

	private LlmException refusal(String provider) {
		return new LlmException(provider,
				"limit " + LIMIT + " exceeded: more than " + max + " LLM calls of this run in flight or queued");
	}

	private final class Scoped implements LlmProvider {

		private final LlmProvider provider;

		Scoped(LlmProvider provider) {
			this.provider = provider;
		}

		RunCalls owner() {
			return RunCalls.this;
		}

		@Override
		public String name() {
			return provider.name();
		}

		// a wrapper honours exactly what the provider it wraps honours
		@Override
		public Set<ChatFeature> features() {
			return provider.features();
		}

		@Override
		public String refusal(ChatRequest request) {
			return provider.refusal(request);
		}

		@Override
		public String defaultModel() {
			return provider.defaultModel();
		}

		@Override
		public Mono<ChatResponse> chat(ChatRequest request) {
			return admit(provider.name(), provider.chat(request));
		}

		@Override
		public Flux<ChatChunk> stream(ChatRequest request) {
			return admit(provider.name(), provider.stream(request));
		}

		@Override
		public Mono<List<String>> listModels() {
			return provider.listModels().contextWrite((context) -> context.put(ConcurrencyLimiter.RUN, runId));
		}

		@Override
		public String toString() {
			return provider.toString();
		}

	}

}
