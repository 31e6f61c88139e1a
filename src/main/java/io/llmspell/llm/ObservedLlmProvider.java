package io.llmspell.llm;

import java.util.List;

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

	@Override
	public String defaultModel() {
		return delegate.defaultModel();
	}

	@Override
	public Mono<ChatResponse> chat(ChatRequest request) {
		return Mono.defer(() -> {
			Observation observation = start("chat", request);
			return delegate.chat(request)
				.doOnNext((response) -> answered(observation, response.model(), response.usage()))
				.doOnError(observation::error)
				.doOnCancel(() -> observation.lowCardinalityKeyValue("outcome", "cancelled"))
				.doFinally((signal) -> observation.stop());
		});
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		return Flux.defer(() -> {
			Observation observation = start("stream", request);
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

	private Observation start(String operation, ChatRequest request) {
		return Observation.createNotStarted(NAME, registry)
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
