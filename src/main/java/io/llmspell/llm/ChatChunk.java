package io.llmspell.llm;

import java.util.List;

/**
 * A piece of a streamed answer. A chunk carries text, or (usually last) the usage with
 * empty text, or the tool calls of the turn, each assembled whole from the provider's
 * deltas; {@code model} is set when the provider names it.
 */
public record ChatChunk(String text, Usage usage, String model, List<ToolCall> toolCalls) {

	public ChatChunk {
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
	}

	public ChatChunk(String text, Usage usage, String model) {
		this(text, usage, model, List.of());
	}

	public static ChatChunk text(String text) {
		return new ChatChunk(text, null, null);
	}

	public boolean hasText() {
		return text != null && !text.isEmpty();
	}

}
