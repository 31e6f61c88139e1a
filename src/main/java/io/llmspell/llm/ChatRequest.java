package io.llmspell.llm;

import java.time.Duration;
import java.util.List;

/**
 * What a spell asks of a model. {@code model} is never null when a provider receives the
 * request; {@code system}, {@code temperature}, {@code maxTokens} and {@code timeout} may
 * be null (provider defaults apply).
 */
public record ChatRequest(String model, List<ChatMessage> messages, String system, Double temperature,
		Integer maxTokens, Duration timeout) {

	public ChatRequest {
		messages = List.copyOf(messages);
	}

	public ChatRequest withModel(String newModel) {
		return new ChatRequest(newModel, messages, system, temperature, maxTokens, timeout);
	}

}
