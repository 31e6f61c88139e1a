package io.llmspell.tools;

import java.util.ArrayList;
import java.util.List;

import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.ToolCall;
import io.llmspell.llm.Usage;

/**
 * The state of one function-calling loop: the conversation so far, how many turns the
 * model has had, and the tokens they cost. Each answer with tool calls adds a turn; the
 * results go back in the next request; an answer without calls ends the loop. A model
 * still calling tools at its {@code maxSteps}-th turn ends it with an error.
 */
public final class ToolConversation {

	private final ChatRequest base;

	private final List<ChatMessage> messages;

	private final int maxSteps;

	private int steps;

	// null until a turn reports usage: unknown, not 0
	private Usage usage;

	public ToolConversation(ChatRequest base, int maxSteps) {
		this.base = base;
		this.messages = new ArrayList<>(base.messages());
		this.maxSteps = maxSteps;
	}

	/** The request of the next turn. */
	public ChatRequest request() {
		return base.withMessages(messages);
	}

	/**
	 * Takes the model's answer of this turn.
	 * @return the calls to run before the next turn; empty when the answer is final
	 * @throws ToolLoopException when the model still calls tools at the last turn allowed
	 */
	public List<ToolCall> accept(ChatResponse response) {
		steps++;
		usage = (usage == null) ? response.usage() : usage.plus(response.usage());
		if (!response.hasToolCalls() || base.tools().isEmpty()) {
			return List.of();
		}
		if (steps >= maxSteps) {
			throw new ToolLoopException("max_steps reached: the model still called tools after " + steps
					+ " steps (raise opts.max_steps, now " + maxSteps + ")");
		}
		messages.add(ChatMessage.assistant(response.text(), response.toolCalls()));
		return response.toolCalls();
	}

	/** The outcome of one of the calls of the last turn, for the next request. */
	public void addResult(ToolCall call, ToolOutcome outcome) {
		messages.add(ChatMessage.toolResult(call, outcome.content(), !outcome.ok()));
	}

	/** The names of the tools offered. */
	public List<String> offered() {
		return base.tools().stream().map((tool) -> tool.name()).toList();
	}

	/** Turns so far. */
	public int steps() {
		return steps;
	}

	/** The tokens of every turn so far; null when no turn reported any. */
	public Usage usage() {
		return usage;
	}

}
