package io.llmspell.llm;

import java.util.List;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
		return Mono.defer(() -> {
			Observation observation = start("chat", request, parent);
			return delegate.chat(request)
				.doOnNext((response) -> answered(observation, response.model(), response.usage()))
				.doOnError(observation::error)
				.doOnCancel(() -> observation.lowCardinalityKeyValue("outcome", "cancelled"))
				.doFinally((signal) -> observation.stop());
		});
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		Observation parent = registry.getCurrentObservation();
		return Flux.defer(() -> {
			Observation observation = start("stream", request, parent);
			return delegate.stream(request)
				.doOnNext((chunk) -> answered(observation, chunk.model(), chunk.usage()))
				.doOnError(observation::error)
				.doOnCancel(() -> observation.lowCardinalityKeyValue("outcome", "cancelled"))
				.doFinally((signal) -> observation.stop());
		});
	}

	@Override
	public Mono<List<String>> listModels() {
		return delegate.listModels();
	}

	private Observation start(String operation, ChatRequest request, Observation parent) {
		return Observation.createNotStarted(NAME, registry)
			.parentObservation((parent != null) ? parent : registry.getCurrentObservation())
			.contextualName(operation + " " + request.model())
			.lowCardinalityKeyValue("gen_ai.system", delegate.name())
			.lowCardinalityKeyValue("gen_ai.operation.name", "chat")
			.lowCardinalityKeyValue("gen_ai.request.model", String.valueOf(request.model()))
			.lowCardinalityKeyValue("outcome", "success")
			.start();
	}

	private static void answered(Observation observation, String model, Usage usage) {
		if (model != null) {
			observation.highCardinalityKeyValue("gen_ai.response.model", model);
		}
		if (usage != null) {
			observation.highCardinalityKeyValue("gen_ai.usage.input_tokens", String.valueOf(usage.promptTokens()))
				.highCardinalityKeyValue("gen_ai.usage.output_tokens", String.valueOf(usage.completionTokens()));
		}
	}

}
