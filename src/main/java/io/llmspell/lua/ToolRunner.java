package io.llmspell.lua;

import java.util.List;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import io.llmspell.llm.ToolCall;
import io.llmspell.tools.ToolFailure;
import io.llmspell.tools.ToolOutcome;
import io.llmspell.tools.ToolRegistry;

/**
 * Runs the tool calls of one turn on the spell's thread, one after the other, each under
 * the run's guard (its time, instructions and pending limits hold inside the tool), and
 * reports each as a {@code tool} event. Each call is an {@code llmspell.tool.call}
 * observation (a span, child of the run's, and a timer by outcome) with OpenTelemetry's
 * GenAI tool attributes {@code gen_ai.operation.name=execute_tool},
 * {@code gen_ai.tool.name}, {@code gen_ai.tool.call.id} and {@code error.type}; its scope
 * is open while the tool runs, so the tool's own http requests and LLM calls are its
 * children. The tool name is no meter tag: the model may make up any name.
 */
final class ToolRunner {

	static final String NAME = "llmspell.tool.call";

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
			ToolOutcome outcome = invoke(toolCall, offered);
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

	private ToolOutcome invoke(ToolCall toolCall, List<String> offered) {
		ObservationRegistry observations = run.observations();
		if (observations.isNoop()) {
			return registry.invoke(toolCall, offered);
		}
		Observation observation = Observation.createNotStarted(NAME, observations)
			.contextualName("execute_tool " + toolCall.name())
			.lowCardinalityKeyValue("gen_ai.operation.name", "execute_tool")
			.highCardinalityKeyValue("gen_ai.tool.name", toolCall.name())
			.highCardinalityKeyValue("gen_ai.tool.call.id", String.valueOf(toolCall.id()))
			.start();
		ToolOutcome outcome;
		try (Observation.Scope scope = observation.openScope()) {
			outcome = registry.invoke(toolCall, offered);
		}
		catch (RuntimeException | Error ex) {
			// the run ends here (a limit, an abort): the span says why
			observation.lowCardinalityKeyValue("outcome", "error")
				.highCardinalityKeyValue("error.type", ex.getClass().getSimpleName())
				.error(ex)
				.stop();
			throw ex;
		}
		if (outcome.ok()) {
			observation.lowCardinalityKeyValue("outcome", "success");
		}
		else {
			observation.lowCardinalityKeyValue("outcome", "error")
				.highCardinalityKeyValue("error.type", "tool_error")
				.error(new ToolFailure(outcome.error()));
		}
		observation.stop();
		return outcome;
	}

}
