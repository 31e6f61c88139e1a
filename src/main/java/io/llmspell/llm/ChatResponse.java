package io.llmspell.llm;

import java.util.List;

/**
 * A whole answer: its text, the model that gave it, the tokens it cost, and the tool
 * calls the model asked for instead of (or besides) answering.
 */
public record ChatResponse(String text, String model, Usage usage, List<ToolCall> toolCalls) {

	public ChatResponse {
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
	}

	public ChatResponse(String text, String model, Usage usage) {
		this(text, model, usage, List.of());
	}

	public boolean hasToolCalls() {
		return !toolCalls.isEmpty();
	}

}
