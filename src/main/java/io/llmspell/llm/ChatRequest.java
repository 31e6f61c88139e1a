package io.llmspell.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a spell asks of a model. {@code model} is never null when a provider receives the
 * request; everything else may be null or empty (provider defaults apply).
 *
 * @param tools the tools the model may call
 * @param schema a JSON Schema the answer must conform to (structured output)
 * @param stop sequences that end the answer
 * @param topP nucleus sampling
 * @param seed a sampling seed
 * @param responseFormat the provider's own {@code response_format}, passed as is
 */
public record ChatRequest(String model, List<ChatMessage> messages, String system, Double temperature,
		Integer maxTokens, Duration timeout, List<ToolSpec> tools, Map<String, Object> schema, List<String> stop,
		Double topP, Long seed, Map<String, Object> responseFormat) {

	public ChatRequest {
		messages = List.copyOf(messages);
		tools = (tools != null) ? List.copyOf(tools) : List.of();
		stop = (stop != null) ? List.copyOf(stop) : List.of();
	}

	public ChatRequest(String model, List<ChatMessage> messages, String system, Double temperature, Integer maxTokens,
			Duration timeout) {
		this(model, messages, system, temperature, maxTokens, timeout, null, null, null, null, null, null);
	}

	public ChatRequest withModel(String newModel) {
		return new ChatRequest(newModel, messages, system, temperature, maxTokens, timeout, tools, schema, stop, topP,
				seed, responseFormat);
	}

	public ChatRequest withMessages(List<ChatMessage> newMessages) {
		return new ChatRequest(model, newMessages, system, temperature, maxTokens, timeout, tools, schema, stop, topP,
				seed, responseFormat);
	}

}
