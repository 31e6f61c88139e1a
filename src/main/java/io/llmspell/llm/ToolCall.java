package io.llmspell.llm;

/**
 * A function call the model asked for: its id (to answer it), the tool's name, and the
 * arguments as JSON text (as the model wrote them; they may not even be JSON).
 */
public record ToolCall(String id, String name, String arguments) {
}
