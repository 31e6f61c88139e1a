package io.llmspell.llm;

import java.util.List;

/**
 * One message of a conversation: {@code role} is {@code system}, {@code user},
 * {@code assistant} or {@code tool}. An assistant message may carry the tool calls the
 * model made; a {@code tool} message is the result of one of them ({@code toolCallId},
 * {@code toolName}, and whether it failed).
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId, String toolName,
		boolean failed) {

	public ChatMessage {
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
	}

	public ChatMessage(String role, String content) {
		this(role, content, List.of(), null, null, false);
	}

	public static ChatMessage user(String content) {
		return new ChatMessage("user", content);
	}

	/** The model's turn that asked for {@code calls} (with any text it said too). */
	public static ChatMessage assistant(String content, List<ToolCall> calls) {
		return new ChatMessage("assistant", content, calls, null, null, false);
	}

	/** The result of a tool call, or its error when {@code failed}. */
	public static ChatMessage toolResult(ToolCall call, String content, boolean failed) {
		return new ChatMessage("tool", content, List.of(), call.id(), call.name(), failed);
	}

	public boolean isToolResult() {
		return "tool".equals(role);
	}

}
