package io.llmspell.llm.mock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ToolCall;
import io.llmspell.llm.ToolSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the mock does in one turn of a conversation with tools or a schema, decided by the
 * prompt alone (the last user message), so that every run answers the same:
 * <ul>
 * <li>with tools offered and no tool results yet, it calls every offered tool whose name
 * the prompt mentions, in the order mentioned, all in one turn. The arguments are the
 * first JSON object in the prompt (or its member named after the tool, when it has one),
 * else the simplest value that conforms to the tool's schema. {@code [loop]} in the
 * prompt makes it call them again on every turn (a loop that never ends);
 * <li>after tool results, it answers {@code Mock answer from tools: name=result; ...};
 * <li>with a schema (or a {@code json_schema} response format), the answer is the
 * simplest conforming value as JSON; {@code [nonconforming]} in the prompt makes it a
 * value of the wrong type; a {@code json_object} response format gives {@code {"answer":
 * "..."}}.
 * </ul>
 */
record MockTurn(List<ToolCall> calls, String answer) {

	static final String LOOP = "[loop]";

	static final String NONCONFORMING = "[nonconforming]";

	private static final JsonMapper JSON = JsonMapper.shared();

	/** What the mock does next; {@code answer} null means its usual text answer. */
	static MockTurn next(ChatRequest request, String prompt) {
		List<ChatMessage> results = trailingResults(request.messages());
		if (!request.tools().isEmpty() && (results.isEmpty() || prompt.contains(LOOP))) {
			List<ToolCall> calls = calls(request, prompt);
			if (!calls.isEmpty()) {
				return new MockTurn(calls, null);
			}
		}
		String text = results.isEmpty() ? null : fromTools(results);
		Map<String, Object> schema = schemaOf(request);
		if (schema != null) {
			Object value = prompt.contains(NONCONFORMING) ? MockValues.nonConforming(schema)
					: MockValues.conforming(schema);
			return new MockTurn(List.of(), JSON.writeValueAsString(value));
		}
		if (request.responseFormat() != null && "json_object".equals(request.responseFormat().get("type"))) {
			return new MockTurn(List.of(), JSON.writeValueAsString(Map.of("answer", (text != null) ? text : "mock")));
		}
		return new MockTurn(List.of(), text);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> schemaOf(ChatRequest request) {
		if (request.schema() != null) {
			return request.schema();
		}
		Map<String, Object> format = request.responseFormat();
		if (format != null && "json_schema".equals(format.get("type"))
				&& format.get("json_schema") instanceof Map<?, ?> jsonSchema
				&& jsonSchema.get("schema") instanceof Map<?, ?> schema) {
			return (Map<String, Object>) schema;
		}
		return null;
	}

	private static List<ChatMessage> trailingResults(List<ChatMessage> messages) {
		int first = messages.size();
		while (first > 0 && messages.get(first - 1).isToolResult()) {
			first--;
		}
		return messages.subList(first, messages.size());
	}

	private static String fromTools(List<ChatMessage> results) {
		List<String> parts = new ArrayList<>();
		for (ChatMessage result : results) {
			parts.add(result.toolName() + "=" + result.content());
		}
		return "Mock answer from tools: " + String.join("; ", parts);
	}

	private static List<ToolCall> calls(ChatRequest request, String prompt) {
		long turn = request.messages().stream().filter((message) -> !message.toolCalls().isEmpty()).count() + 1;
		List<ToolSpec> mentioned = new ArrayList<>();
		for (ToolSpec tool : request.tools()) {
			if (position(prompt, tool.name()) >= 0) {
				mentioned.add(tool);
			}
		}
		mentioned.sort(Comparator.comparingInt((tool) -> position(prompt, tool.name())));
		JsonNode json = firstJsonObject(prompt);
		List<ToolCall> calls = new ArrayList<>();
		for (ToolSpec tool : mentioned) {
			String arguments;
			if (json != null && json.path(tool.name()).isObject()) {
				arguments = JSON.writeValueAsString(json.path(tool.name()));
			}
			else if (json != null) {
				arguments = JSON.writeValueAsString(json);
			}
			else {
				arguments = JSON.writeValueAsString(MockValues.conforming(tool.parameters()));
			}
			calls.add(new ToolCall("mock_call_" + turn + "_" + (calls.size() + 1), tool.name(), arguments));
		}
		return calls;
	}

	/** Where {@code name} appears in {@code prompt} as a word of its own, or -1. */
	private static int position(String prompt, String name) {
		Matcher matcher = Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(prompt);
		return matcher.find() ? matcher.start() : -1;
	}

	private static JsonNode firstJsonObject(String prompt) {
		int start = prompt.indexOf('{');
		int end = prompt.lastIndexOf('}');
		while (start >= 0 && end > start) {
			try {
				JsonNode node = JSON.readTree(prompt.substring(start, end + 1));
				if (node.isObject()) {
					return node;
				}
			}
			catch (JacksonException ex) {
				// try a shorter span
			}
			end = prompt.lastIndexOf('}', end - 1);
		}
		return null;
	}

}
