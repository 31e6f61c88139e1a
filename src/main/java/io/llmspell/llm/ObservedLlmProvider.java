package io.llmspell.llm;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.observability.DefaultSignalListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A provider whose every call is an {@code llmspell.llm.call} observation (a span, child
 * of the run's, and a timer), with the OpenTelemetry GenAI attributes:
 * {@code gen_ai.system}, {@code gen_ai.operation.name}, {@code gen_ai.request.model},
 * {@code gen_ai.response.model}, {@code gen_ai.usage.input_tokens} and
 * {@code gen_ai.usage.output_tokens}. One wrapper around every provider, in
 * {@link LlmProviders}, so no provider has to know.
 */
final class ObservedLlmProvider implements LlmProvider {

	static final String NAME = "llmspell.llm.call";

	private final LlmProvider delegate;

	private final ObservationRegistry registry;

	ObservedLlmProvider(LlmProvider delegate, ObservationRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public String name() {
		return delegate.name();
	}

	// a wrapper honours exactly what the provider it wraps honours
	@Override
	public Set<ChatFeature> features() {
		return delegate.features();
	}

	@Override
	public String refusal(ChatRequest request) {
		return delegate.refusal(request);
	}

	@Override
	public String defaultModel() {
		return delegate.defaultModel();
	}

	@Override
	public Mono<ChatResponse> chat(ChatRequest request) {
		// the parent is the run's span, current on the thread that makes the call; the
		// subscription may come later, on another thread (a provider's fair queue)
		Observation parent = registry.getCurrentObservation();
		return delegate.chat(request)
			.tap(() -> new Observed<>("chat", request, parent, ChatResponse::model, ChatResponse::usage));
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		Observation parent = registry.getCurrentObservation();
		return delegate.stream(request)
			.tap(() -> new Observed<>("stream", request, parent, ChatChunk::model, ChatChunk::usage));
	}

	@Override
	public Mono<List<String>> listModels() {
		return delegate.listModels();
	}

	/**
	 * One call's observation, started at subscription and stopped at its end: one
	 * {@code tap} operator on the call, not one per signal.
	 */
	private final class Observed<T> extends DefaultSignalListener<T> {

		private final String operation;

		private final ChatRequest request;

		private final Observation parent;

		private final Function<T, String> modelOf;

		private final Function<T, Usage> usageOf;

		private Observation observation = Observation.NOOP;

		private String model;

		Observed(String operation, ChatRequest request, Observation parent, Function<T, String> modelOf,
				Function<T, Usage> usageOf) {
			this.operation = operation;
			this.request = request;
			this.parent = parent;
			this.modelOf = modelOf;
			this.usageOf = usageOf;
		}

		@Override
		public void doFirst() {
			this.observation = Observation.createNotStarted(NAME, registry)
				.parentObservation((parent != null) ? parent : registry.getCurrentObservation())
				.contextualName(operation + " " + request.model())
				.lowCardinalityKeyValue("gen_ai.system", delegate.name())
				.lowCardinalityKeyValue("gen_ai.operation.name", "chat")
				.lowCardinalityKeyValue("gen_ai.request.model", String.valueOf(request.model()))
				.lowCardinalityKeyValue("outcome", "success")
				.start();
		}

		// a stream repeats the model in every chunk: set once, not per chunk
		@Override
		public void doOnNext(T item) {
			String answered = modelOf.apply(item);
			if (answered != null && !answered.equals(model)) {
				model = answered;
				observation.highCardinalityKeyValue("gen_ai.response.model", answered);
			}
			Usage usage = usageOf.apply(item);
			if (usage != null) {
				observation.highCardinalityKeyValue("gen_ai.usage.input_tokens", String.valueOf(usage.promptTokens()))
					.highCardinalityKeyValue("gen_ai.usage.output_tokens", String.valueOf(usage.completionTokens()));
			}
		}

		@Override
		public void doOnError(Throwable error) {
			observation.error(error);
		}

		@Override
		public void doOnCancel() {
			observation.lowCardinalityKeyValue("outcome", "cancelled");
		}

		@Override
		public void doFinally(SignalType terminationType) {
			observation.stop();
		}

	}

}
