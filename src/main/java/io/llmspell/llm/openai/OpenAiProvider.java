package io.llmspell.llm.openai;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.springframework.web.reactive.function.client.WebClient;

/**
 * OpenAI's Chat Completions API ({@code POST /chat/completions}, {@code GET /models}),
 * also spoken by Ollama, vLLM, LiteLLM and others: point
 * {@code llmspell.llm.openai.base-url} at them.
 */
public class OpenAiProvider extends HttpLlmProvider {

	public static final String NAME = "openai";

	/** The name of the structured-output schema in {@code response_format}. */
	public static final String SCHEMA_NAME = "answer";

	private static final String DONE = "[DONE]";

	public OpenAiProvider(OpenAiProperties properties, LlmProperties llmProperties, WebClient.Builder builder,
			MeterRegistry registry) {
		super(NAME, properties.model(), new LlmHttpClient(NAME, properties.baseUrl(), (headers) -> {
			if (properties.apiKey() != null) {
				headers.setBearerAuth(properties.apiKey());
			}
		}, Arrays.asList(properties.apiKey()), builder, llmProperties, registry));
	}

	@Override
	protected String chatPath() {
		return "/chat/completions";
	}

	@Override
	protected String modelsPath() {
		return "/models";
	}

	@Override
	public Set<ChatFeature> features() {
		return EnumSet.allOf(ChatFeature.class);
	}

	@Override
	public String refusal(ChatRequest request) {
		if (request.schema() != null && request.responseFormat() != null) {
			return "options 'schema' and 'response_format' cannot be used together";
		}
		return super.refusal(request);
	}

	@Override
	protected Map<String, Object> body(ChatRequest request, String model, boolean stream) {
		List<Map<String, Object>> messages = new ArrayList<>();
		if (request.system() != null && !request.system().isBlank()) {
			messages.add(message("system", request.system()));
		}
		for (ChatMessage message : request.messages()) {
			messages.add(message(message));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("model", model);
		body.put("messages", messages);
		if (request.maxTokens() != null) {
			body.put("max_tokens", request.maxTokens());
		}
		if (request.temperature() != null) {
			body.put("temperature", request.temperature());
		}
		if (request.topP() != null) {
			body.put("top_p", request.topP());
		}
		if (request.seed() != null) {
			body.put("seed", request.seed());
		}
		if (!request.stop().isEmpty()) {
			body.put("stop", request.stop());
		}
		if (!request.tools().isEmpty()) {
			List<Map<String, Object>> tools = new ArrayList<>();
			for (ToolSpec tool : request.tools()) {
				Map<String, Object> function = new LinkedHashMap<>();
				function.put("name", tool.name());
				function.put("description", tool.description());
				function.put("parameters", tool.parameters());
				tools.add(Map.of("type", "function", "function", function));
			}
			body.put("tools", tools);
		}
		if (request.schema() != null) {
			Map<String, Object> jsonSchema = new LinkedHashMap<>();
			jsonSchema.put("name", SCHEMA_NAME);
			jsonSchema.put("schema", request.schema());
			jsonSchema.put("strict", true);
			body.put("response_format", Map.of("type", "json_schema", "json_schema", jsonSchema));
		}
		else if (request.responseFormat() != null) {
			body.put("response_format", request.responseFormat());
		}
		if (stream) {
			body.put("stream", true);
			body.put("stream_options", Map.of("include_usage", true));
		}
		return body;
	}

	private static Map<String, Object> message(ChatMessage message) {
		if (message.isToolResult()) {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("role", "tool");
			result.put("tool_call_id", message.toolCallId());
			result.put("content", (message.content() != null) ? message.content() : "");
			return result;
		}
		Map<String, Object> entry = message(message.role(), message.content());
		if (!message.toolCalls().isEmpty()) {
			if (message.content() == null || message.content().isEmpty()) {
				entry.put("content", null);
			}
			List<Map<String, Object>> calls = new ArrayList<>();
			for (ToolCall call : message.toolCalls()) {
				Map<String, Object> function = new LinkedHashMap<>();
				function.put("name", call.name());
				function.put("arguments", call.arguments());
				Map<String, Object> entryCall = new LinkedHashMap<>();
				entryCall.put("id", call.id());
				entryCall.put("type", "function");
				entryCall.put("function", function);
				calls.add(entryCall);
			}
			entry.put("tool_calls", calls);
		}
		return entry;
	}

	private static Map<String, Object> message(String role, String content) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("role", role);
		message.put("content", (content != null) ? content : "");
		return message;
	}

	@Override
	protected ChatResponse response(JsonNode json, String requestedModel) {
		if (JsonNodes.present(json.path("error"))) {
			throw client().providerError(JsonNodes.errorMessage(json.path("error")));
		}
		JsonNode choices = json.path("choices");
		if (!choices.isArray()) {
			throw new LlmException(NAME, "malformed response from provider (no choices)");
		}
		StringBuilder text = new StringBuilder();
		List<ToolCall> calls = new ArrayList<>();
		if (!choices.isEmpty()) {
			JsonNode message = choices.path(0).path("message");
			text.append(JsonNodes.text(message.path("content"), ""));
			for (JsonNode call : message.path("tool_calls")) {
				JsonNode function = call.path("function");
				calls.add(new ToolCall(JsonNodes.text(call.path("id"), "call_" + calls.size()),
						JsonNodes.text(function.path("name"), ""), arguments(function.path("arguments"))));
			}
		}
		return new ChatResponse(text.toString(), JsonNodes.text(json.path("model"), requestedModel),
				usage(json.path("usage")), calls);
	}

	/** Arguments are JSON text; a server that sends an object instead is read too. */
	private String arguments(JsonNode arguments) {
		if (arguments.isString()) {
			return arguments.stringValue();
		}
		return JsonNodes.present(arguments) ? client().writeJson(arguments) : "{}";
	}

	/** The chunks of one streamed answer; the stream must end with {@code [DONE]}. */
	@Override
	protected Flux<ChatChunk> chunks(Flux<ServerSentEvent<String>> events, String requestedModel) {
		AtomicBoolean done = new AtomicBoolean();
		ToolCallDeltas deltas = new ToolCallDeltas();
		return events.mapNotNull(ServerSentEvent::data)
			.map(String::strip)
			.filter((data) -> !data.isEmpty())
			.takeUntil(DONE::equals)
			.concatMapIterable((data) -> {
				if (DONE.equals(data)) {
					done.set(true);
					return deltas.isEmpty() ? List.of() : List.of(new ChatChunk("", null, null, deltas.calls()));
				}
				return chunksOf(client().readJson(data), deltas);
			})
			.concatWith(Mono.defer(() -> done.get() ? Mono.empty()
					: Mono.error(new LlmException(NAME, "stream ended before [DONE]; the answer is incomplete"))));
	}

	private List<ChatChunk> chunksOf(JsonNode event, ToolCallDeltas deltas) {
		if (JsonNodes.present(event.path("error"))) {
			throw client().providerError(JsonNodes.errorMessage(event.path("error")));
		}
		String model = JsonNodes.text(event.path("model"), null);
		List<ChatChunk> chunks = new ArrayList<>(2);
		for (JsonNode choice : event.path("choices")) {
			String content = JsonNodes.text(choice.path("delta").path("content"), "");
			if (!content.isEmpty()) {
				chunks.add(new ChatChunk(content, null, model));
			}
			for (JsonNode call : choice.path("delta").path("tool_calls")) {
				deltas.add(call);
			}
		}
		JsonNode usage = event.path("usage");
		if (usage.isObject()) {
			chunks.add(new ChatChunk("", usage(usage), model));
		}
		return chunks;
	}

	/**
	 * The tool calls of a streamed answer, put together from their deltas: the first
	 * delta of a call (by {@code index}) has its id and name, the following ones pieces
	 * of its arguments.
	 */
	private static final class ToolCallDeltas {

		private final TreeMap<Integer, String[]> calls = new TreeMap<>();

		void add(JsonNode delta) {
			int index = delta.path("index").isNumber() ? delta.path("index").asInt() : calls.size();
			String[] call = calls.computeIfAbsent(index, (key) -> new String[] { null, "", "" });
			if (call[0] == null) {
				call[0] = JsonNodes.text(delta.path("id"), null);
			}
			JsonNode function = delta.path("function");
			call[1] += JsonNodes.text(function.path("name"), "");
			call[2] += JsonNodes.text(function.path("arguments"), "");
		}

		boolean isEmpty() {
			return calls.isEmpty();
		}

		List<ToolCall> calls() {
			List<ToolCall> result = new ArrayList<>();
			calls.forEach((index, call) -> result.add(new ToolCall((call[0] != null) ? call[0] : "call_" + index,
					call[1], call[2].isEmpty() ? "{}" : call[2])));
			return result;
		}

	}

	private static Usage usage(JsonNode usage) {
		if (!usage.isObject()) {
			return null; // not reported: unknown, not 0
		}
		return new Usage(JsonNodes.number(usage.path("prompt_tokens")),
				JsonNodes.number(usage.path("completion_tokens")));
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
