package io.llmspell.llm;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A chat model behind an API. Implementations are non-blocking: nothing happens until the
 * returned publisher is subscribed, and cancelling the subscription aborts the request.
 */
public interface LlmProvider {

	/**
	 * The name spells and requests use to pick this provider ({@code mock},
	 * {@code openai}, ...).
	 */
	String name();

	/** The model used when a call names none. */
	String defaultModel();

	/** One answer, whole. Fails with {@link LlmException}. */
	Mono<ChatResponse> chat(ChatRequest request);

	/**
	 * The answer in pieces as they arrive. Chunks with text come first; the usage, when
	 * the provider reports it, arrives on a chunk of its own (empty text). Fails with
	 * {@link LlmException}.
	 */
	Flux<ChatChunk> stream(ChatRequest request);

	/** The models this provider offers. */
	Mono<List<String>> listModels();

	/** The options beyond the basics that this provider honours. */
	default Set<ChatFeature> features() {
		return EnumSet.noneOf(ChatFeature.class);
	}

	/**
	 * Why this provider cannot answer {@code request} as asked (an option it cannot
	 * honour), or {@code null} when it can.
	 */
	default String refusal(ChatRequest request) {
		for (ChatFeature feature : ChatFeature.usedBy(request)) {
			if (!features().contains(feature)) {
				return "option '" + feature.option() + "' is not supported by this provider";
			}
		}
		return null;
	}

}
