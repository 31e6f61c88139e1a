package io.llmspell.llm.anthropic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatFeature;
import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.HttpLlmProvider;
import io.llmspell.llm.JsonNodes;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.LlmHttpClient;
import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.ToolCall;
import io.llmspell.llm.ToolSpec;
import io.llmspell.llm.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code GET /v1/models}). It has no
 * structured-output mode, so a schema is offered as a tool of its own,
 * {@value #SCHEMA_TOOL}, that the model must call: the arguments of that call are the
 * answer. It has no {@code seed} and no {@code response_format}: those are refused.
 */
public class AnthropicProvider extends HttpLlmProvider {

	public static final String NAME = "anthropic";

	/** The tool whose input is a structured answer. */
	public static final String SCHEMA_TOOL = "structured_output";

	private final AnthropicProperties properties;

	public AnthropicProvider(AnthropicProperties properties, LlmProperties llmProperties, WebClient.Builder builder,
			MeterRegistry registry) {
		super(NAME, properties.model(), new LlmHttpClient(NAME, properties.baseUrl(), (headers) -> {
			if (properties.apiKey() != null) {
				headers.set("x-api-key", properties.apiKey());
			}
			headers.set("anthropic-version", properties.version());
		}, Arrays.asList(properties.apiKey()), builder, llmProperties, registry));
		this.properties = properties;
	}

	@Override
	protected String chatPath() {
		return "/v1/messages";
	}

	@Override
	protected String modelsPath() {
		return "/v1/models?limit=1000";
	}

	@Override
	public Set<ChatFeature> features() {
		return EnumSet.of(ChatFeature.TOOLS, ChatFeature.SCHEMA, ChatFeature.STOP, ChatFeature.TOP_P);
	}

	@Override
	protected Map<String, Object> body(ChatRequest request, String model, boolean stream) {
		List<String> system = new ArrayList<>();
		if (StringUtils.hasText(request.system())) {
			system.add(request.system());
		}
		List<Map<String, Object>> messages = new ArrayList<>();
		List<Map<String, Object>> results = null;
		for (ChatMessage message : request.messages()) {
			String content = (message.content() != null) ? message.content() : "";
			if (message.isToolResult()) {
				// every result of one turn goes back in one user message
				if (results == null) {
					results = new ArrayList<>();
					messages.add(Map.of("role", "user", "content", results));
				}
				Map<String, Object> result = new LinkedHashMap<>();
				result.put("type", "tool_result");
				result.put("tool_use_id", message.toolCallId());
				result.put("content", content);
				if (message.failed()) {
					result.put("is_error", true);
				}
				results.add(result);
				continue;
			}
			results = null;
			if ("system".equals(message.role())) {
				system.add(content);
			}
			else if (!message.toolCalls().isEmpty()) {
				List<Map<String, Object>> blocks = new ArrayList<>();
				if (!content.isEmpty()) {
					blocks.add(Map.of("type", "text", "text", content));
				}
				for (ToolCall call : message.toolCalls()) {
					Map<String, Object> use = new LinkedHashMap<>();
					use.put("type", "tool_use");
					use.put("id", call.id());
					use.put("name", call.name());
					use.put("input", input(call.arguments()));
					blocks.add(use);
				}
				messages.add(Map.of("role", "assistant", "content", blocks));
			}
			else {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("role", message.role());
				entry.put("content", content);
				messages.add(entry);
			}
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", model);
		body.put("max_tokens", (request.maxTokens() != null) ? request.maxTokens() : properties.maxTokens());
		if (!system.isEmpty()) {
			body.put("system", String.join("\n\n", system));
		}
		body.put("messages", messages);
		if (request.temperature() != null) {
			body.put("temperature", request.temperature());
		}
		if (request.topP() != null) {
			body.put("top_p", request.topP());
		}
		if (!request.stop().isEmpty()) {
			body.put("stop_sequences", request.stop());
		}
		List<Map<String, Object>> tools = new ArrayList<>();
		for (ToolSpec tool : request.tools()) {
			tools.add(tool(tool.name(), tool.description(), tool.parameters()));
		}
		if (request.schema() != null) {
			tools.add(tool(SCHEMA_TOOL, "Give your final answer by calling this tool, with the answer as its input.",
					request.schema()));
			// with tools of the spell's too, any tool may come first; the answer ends the
			// loop
			body.put("tool_choice",
					request.tools().isEmpty() ? Map.of("type", "tool", "name", SCHEMA_TOOL) : Map.of("type", "any"));
		}
		if (!tools.isEmpty()) {
			body.put("tools", tools);
		}
		if (stream) {
			body.put("stream", true);
		}
		return body;
	}

	private static Map<String, Object> tool(String name, String description, Map<String, Object> schema) {
		Map<String, Object> tool = new LinkedHashMap<>();
		tool.put("name", name);
		tool.put("description", description);
		tool.put("input_schema", schema);
		return tool;
	}

	/**
	 * A call's arguments as the JSON object Anthropic wants ({@code {}} if they are
	 * none).
	 */
	private Object input(String arguments) {
		try {
			JsonNode node = client().readJson(arguments);
			return node.isObject() ? node : Map.of();
		}
		catch (LlmException ex) {
			return Map.of();
		}
	}

	@Override
	protected ChatResponse response(JsonNode json, String requestedModel) {
		if ("error".equals(JsonNodes.text(json.path("type"), null)) || JsonNodes.present(json.path("error"))) {
			throw client().providerError(JsonNodes.errorMessage(json.path("error")));
		}
		JsonNode content = json.path("content");
		if (!content.isArray()) {
			throw new LlmException(NAME, "malformed response from provider (no content)");
		}
		StringBuilder text = new StringBuilder();
		String structured = null;
		List<ToolCall> calls = new ArrayList<>();
		for (JsonNode block : content) {
			String type = JsonNodes.text(block.path("type"), "");
			if ("text".equals(type)) {
				text.append(JsonNodes.text(block.path("text"), ""));
			}
			else if ("tool_use".equals(type)) {
				String name = JsonNodes.text(block.path("name"), "");
				String input = client().writeJson(block.path("input"));
				if (SCHEMA_TOOL.equals(name)) {
					structured = input;
				}
				else {
					calls.add(new ToolCall(JsonNodes.text(block.path("id"), "toolu_" + calls.size()), name, input));
				}
			}
		}
		JsonNode usage = json.path("usage");
		// the structured answer is the answer: other calls of the same turn are not run
		return new ChatResponse((structured != null) ? structured : text.toString(),
				JsonNodes.text(json.path("model"), requestedModel),
				new Usage(inputTokens(usage), JsonNodes.number(usage.path("output_tokens"))),
				(structured != null) ? List.of() : calls);
	}

	/** Input tokens, including those written to and read from the prompt cache. */
	private static long inputTokens(JsonNode usage) {
		return JsonNodes.number(usage.path("input_tokens"))
				+ JsonNodes.number(usage.path("cache_creation_input_tokens"))
				+ JsonNodes.number(usage.path("cache_read_input_tokens"));
	}

	/**
	 * The chunks of one streamed answer: the text of each {@code text_delta}, then, at
	 * {@code message_stop}, the usage gathered from {@code message_start} and
	 * {@code message_delta}. The stream must end with {@code message_stop}.
	 */
	@Override
	protected Flux<ChatChunk> chunks(Flux<ServerSentEvent<String>> events, String requestedModel) {
		StreamState state = new StreamState(requestedModel);
		return events.filter((event) -> StringUtils.hasText(event.data()))
			.map((event) -> new Event(typeOf(event), client().readJson(event.data())))
			.takeUntil((event) -> "message_stop".equals(event.type()))
			.concatMapIterable((event) -> state.handle(event))
			.concatWith(Mono.defer(() -> state.stopped ? Mono.empty() : Mono
				.error(new LlmException(NAME, "stream ended before message_stop; the answer is incomplete"))));
	}

	private static String typeOf(ServerSentEvent<String> event) {
		return event.event();
	}

	private record Event(String sseType, JsonNode data) {

		String type() {
			return JsonNodes.text(data.path("type"), (sseType != null) ? sseType : "");
		}

	}

	/** What one stream has told so far. */
	private final class StreamState {

		private String model;

		private long inputTokens;

		private long outputTokens;

		private boolean stopped;

		/** Tool-use blocks by index: id, name, the input JSON so far. */
		private final TreeMap<Integer, String[]> toolUses = new TreeMap<>();

		private boolean structured;

		StreamState(String model) {
			this.model = model;
		}

		List<ChatChunk> handle(Event event) {
			JsonNode data = event.data();
			switch (event.type()) {
				case "message_start" -> {
					JsonNode message = data.path("message");
					model = JsonNodes.text(message.path("model"), model);
					inputTokens = inputTokens(message.path("usage"));
					outputTokens = JsonNodes.number(message.path("usage").path("output_tokens"));
				}
				case "content_block_start" -> {
					JsonNode block = data.path("content_block");
					if ("tool_use".equals(JsonNodes.text(block.path("type"), null))) {
						String name = JsonNodes.text(block.path("name"), "");
						structured |= SCHEMA_TOOL.equals(name);
						toolUses.put(data.path("index").asInt(toolUses.size()), new String[] {
								JsonNodes.text(block.path("id"), "toolu_" + toolUses.size()), name, "" });
					}
				}
				case "content_block_delta" -> {
					JsonNode delta = data.path("delta");
					String type = JsonNodes.text(delta.path("type"), "");
					if ("text_delta".equals(type)) {
						String text = JsonNodes.text(delta.path("text"), "");
						if (!text.isEmpty()) {
							return List.of(new ChatChunk(text, null, model));
						}
					}
					else if ("input_json_delta".equals(type)) {
						String[] use = toolUses.get(data.path("index").asInt(-1));
						String json = JsonNodes.text(delta.path("partial_json"), "");
						if (use != null) {
							use[2] += json;
							// the structured answer streams as the answer's text
							if (SCHEMA_TOOL.equals(use[1]) && !json.isEmpty()) {
								return List.of(new ChatChunk(json, null, model));
							}
						}
					}
				}
				case "message_delta" -> {
					JsonNode usage = data.path("usage");
					if (usage.path("output_tokens").isNumber()) {
						outputTokens = usage.path("output_tokens").asLong();
					}
					if (usage.path("input_tokens").isNumber()) {
						inputTokens = inputTokens(usage);
					}
				}
				case "message_stop" -> {
					stopped = true;
					List<ToolCall> calls = new ArrayList<>();
					if (!structured) {
						toolUses.values()
							.forEach(
									(use) -> calls.add(new ToolCall(use[0], use[1], use[2].isEmpty() ? "{}" : use[2])));
					}
					return List.of(new ChatChunk("", new Usage(inputTokens, outputTokens), model, calls));
				}
				case "error" -> throw client().providerError(JsonNodes.errorMessage(data.path("error")));
				default -> {
					// ping, content_block_start, content_block_stop and whatever comes
					// next
				}
			}
			return List.of();
		}

	}

	@Override
	protected List<String> modelIds(JsonNode json) {
		JsonNode data = json.path("data");
		if (!data.isArray()) {
			throw new LlmException(NAME, "malformed response from provider (no data)");
		}
		List<String> ids = new ArrayList<>();
		for (JsonNode model : data) {
			String id = JsonNodes.text(model.path("id"), null);
			if (id != null) {
				ids.add(id);
			}
		}
		return List.copyOf(ids);
	}

}
