package io.llmspell.lua;

import java.util.List;
import java.util.Map;

import io.llmspell.llm.ToolCall;
import io.llmspell.tools.ToolOutcome;
import io.llmspell.tools.ToolRegistry;

/**
 * Runs the tool calls of one turn on the spell's thread, one after the other, each under
 * the run's guard (its time, instructions and pending limits hold inside the tool), and
 * reports each as a {@code tool} event.
 */
final class ToolRunner {

	private final LuaRun run;

	private final ToolRegistry registry;

	ToolRunner(LuaRun run, ToolRegistry registry) {
		this.run = run;
		this.registry = registry;
	}

	void runTurn(LlmCall call, List<ToolCall> calls) {
		List<String> offered = call.conversation.offered();
		for (ToolCall toolCall : calls) {
			run.guard().checkpoint();
			ToolOutcome outcome = registry.invoke(toolCall, offered);
			run.guard().checkpoint();
			call.conversation.addResult(toolCall, outcome);
			Map<String, Object> data = LuaValues.ordered();
			data.put("callId", call.id);
			data.put("toolCallId", toolCall.id());
			data.put("step", call.conversation.steps());
			data.put("name", toolCall.name());
			data.put("args", outcome.args());
			data.put("ok", outcome.ok());
			if (outcome.ok()) {
				data.put("result", outcome.result());
			}
			else {
				data.put("error", outcome.error());
			}
			run.emit("tool", data, outcome.content().length());
		}
	}

}
