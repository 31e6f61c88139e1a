package io.llmspell.llm;

/** A whole answer: its text, the model that gave it, and the tokens it cost. */
public record ChatResponse(String text, String model, Usage usage) {
}
