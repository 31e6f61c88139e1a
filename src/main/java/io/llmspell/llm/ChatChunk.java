package io.llmspell.llm;

/**
 * A piece of a streamed answer. A chunk carries text, or (usually last) the usage with
 * empty text; {@code model} is set when the provider names it.
 */
public record ChatChunk(String text, Usage usage, String model) {

	public static ChatChunk text(String text) {
		return new ChatChunk(text, null, null);
	}

	public boolean hasText() {
		return text != null && !text.isEmpty();
	}

}
