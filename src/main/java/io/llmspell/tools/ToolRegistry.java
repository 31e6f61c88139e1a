package io.llmspell.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.llmspell.llm.ToolCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run's tools, in the order they were registered (built-ins first). Arguments are
 * validated against the tool's schema before its handler sees them.
 */
public final class ToolRegistry {

	/** What both OpenAI and Anthropic accept as a function name. */
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private final Map<String, Tool> tools = new LinkedHashMap<>();

	private final int maxTools;

	public ToolRegistry(int maxTools) {
		this.maxTools = maxTools;
	}

	/**
	 * Registers a tool.
	 * @throws IllegalArgumentException for a bad name, a taken name, an invalid schema,
	 * or too many tools
	 */
	public Tool register(String name, String description, Map<String, Object> parameters, ToolHandler handler,
			boolean builtIn) {
		return register(name, description, JsonSchema.compile(parameters), handler, builtIn);
	}

	/**
	 * Registers a tool whose schema is already made ({@link JsonSchema#trusted} for a
	 * built-in).
	 */
	public Tool register(String name, String description, JsonSchema schema, ToolHandler handler, boolean builtIn) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"invalid tool name '" + name + "' (1 to 64 letters, digits, '_' or '-')");
		}
		if (tools.containsKey(name)) {
			throw new IllegalArgumentException("tool '" + name + "' is already registered");
		}
		if (tools.size() >= maxTools) {
			throw new IllegalArgumentException("too many tools (at most " + maxTools + ")");
		}
		Tool tool = new Tool(name, (description != null) ? description : "", schema, handler, builtIn);
		tools.put(name, tool);
		return tool;
	}

	public Optional<Tool> get(String name) {
		return Optional.ofNullable(tools.get(name));
	}

	public List<Tool> list() {
		return List.copyOf(tools.values());
	}

	public boolean remove(String name) {
		return tools.remove(name) != null;
	}

	/** Why {@code args} do not fit the tool's schema, or {@code null} when they do. */
	public String problems(Tool tool, Object args) {
		String problems = tool.schema().describe(args);
		return (problems != null) ? "invalid arguments for tool '" + tool.name() + "': " + problems : null;
	}

	/**
	 * Validates and runs a tool.
	 * @throws ToolFailure when the arguments do not fit, or the tool fails
	 */
	public Object execute(Tool tool, Map<String, Object> args) {
		String problems = problems(tool, args);
		if (problems != null) {
			throw new ToolFailure(problems);
		}
		return tool.handler().call(args);
	}

	/**
	 * Runs a call the model made, whatever it sent: arguments that are no JSON object, a
	 * tool that is unknown or was not offered, arguments that do not fit, a tool that
	 * fails: each is an error outcome, for the model to read and correct.
	 * @param offered the names of the tools offered in this call
	 */
	public ToolOutcome invoke(ToolCall call, List<String> offered) {
		Object args = decode(call.arguments());
		if (!(args instanceof Map<?, ?>)) {
			return ToolOutcome.failure(call.name(), call.arguments(), "the arguments are not a JSON object");
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> named = (Map<String, Object>) args;
		Tool tool = tools.get(call.name());
		if (tool == null || !offered.contains(call.name())) {
			return ToolOutcome.failure(call.name(), named,
					"unknown tool '" + call.name() + "'; offered: " + String.join(", ", offered));
		}
		try {
			return ToolOutcome.success(tool.name(), named, execute(tool, named));
		}
		catch (ToolFailure failure) {
			return ToolOutcome.failure(tool.name(), named, failure.getMessage());
		}
	}

	/** The names of every tool, for {@code tools = true}. */
	public List<String> names() {
		return new ArrayList<>(tools.keySet());
	}

	private static Object decode(String json) {
		if (json == null || json.isBlank()) {
			return Map.of();
		}
		try {
			return JsonMapper.shared().readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
