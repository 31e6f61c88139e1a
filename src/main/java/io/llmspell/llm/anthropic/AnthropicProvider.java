package io.llmspell.llm.anthropic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.HttpLlmProvider;
import io.llmspell.llm.JsonNodes;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.LlmHttpClient;
import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/** Anthropic's Messages API ({@code POST /v1/messages}, {@code GET /v1/models}). */
public class AnthropicProvider extends HttpLlmProvider {

	public static final String NAME = "anthropic";

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
	protected Map<String, Object> body(ChatRequest request, String model, boolean stream) {
		List<String> system = new ArrayList<>();
		if (StringUtils.hasText(request.system())) {
			system.add(request.system());
		}
		List<Map<String, Object>> messages = new ArrayList<>();
		for (ChatMessage message : request.messages()) {
			String content = (message.content() != null) ? message.content() : "";
			if ("system".equals(message.role())) {
				system.add(content);
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
		if (stream) {
			body.put("stream", true);
		}
		return body;
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
		for (JsonNode block : content) {
			if ("text".equals(JsonNodes.text(block.path("type"), null))) {
				text.append(JsonNodes.text(block.path("text"), ""));
			}
		}
		JsonNode usage = json.path("usage");
		return new ChatResponse(text.toString(), JsonNodes.text(json.path("model"), requestedModel),
				new Usage(inputTokens(usage), JsonNodes.number(usage.path("output_tokens"))));
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
				case "content_block_delta" -> {
					JsonNode delta = data.path("delta");
					if ("text_delta".equals(JsonNodes.text(delta.path("type"), null))) {
						String text = JsonNodes.text(delta.path("text"), "");
						if (!text.isEmpty()) {
							return List.of(new ChatChunk(text, null, model));
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
					return List.of(new ChatChunk("", new Usage(inputTokens, outputTokens), model));
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
