package io.llmspell.llm;

/**
 * One message of a conversation: {@code role} is {@code system}, {@code user} or
 * {@code assistant}.
 */
public record ChatMessage(String role, String content) {

	public static ChatMessage user(String content) {
		return new ChatMessage("user", content);
	}

}
