package io.llmspell.llm.openai;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.springframework.web.reactive.function.client.WebClient;

/**
 * OpenAI's Chat Completions API ({@code POST /chat/completions}, {@code GET /models}),
 * also spoken by Ollama, vLLM, LiteLLM and others: point
 * {@code llmspell.llm.openai.base-url} at them.
 */
public class OpenAiProvider extends HttpLlmProvider {

	public static final String NAME = "openai";

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
	protected Map<String, Object> body(ChatRequest request, String model, boolean stream) {
		List<Map<String, Object>> messages = new ArrayList<>();
		if (request.system() != null && !request.system().isBlank()) {
			messages.add(message("system", request.system()));
		}
		for (ChatMessage message : request.messages()) {
			messages.add(message(message.role(), message.content()));
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
		if (stream) {
			body.put("stream", true);
			body.put("stream_options", Map.of("include_usage", true));
		}
		return body;
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
		if (!choices.isEmpty()) {
			text.append(JsonNodes.text(choices.path(0).path("message").path("content"), ""));
		}
		return new ChatResponse(text.toString(), JsonNodes.text(json.path("model"), requestedModel),
				usage(json.path("usage")));
	}

	/** The chunks of one streamed answer; the stream must end with {@code [DONE]}. */
	@Override
	protected Flux<ChatChunk> chunks(Flux<ServerSentEvent<String>> events, String requestedModel) {
		AtomicBoolean done = new AtomicBoolean();
		return events.mapNotNull(ServerSentEvent::data)
			.map(String::strip)
			.filter((data) -> !data.isEmpty())
			.takeUntil(DONE::equals)
			.concatMapIterable((data) -> {
				if (DONE.equals(data)) {
					done.set(true);
					return List.of();
				}
				return chunksOf(client().readJson(data));
			})
			.concatWith(Mono.defer(() -> done.get() ? Mono.empty()
					: Mono.error(new LlmException(NAME, "stream ended before [DONE]; the answer is incomplete"))));
	}

	private List<ChatChunk> chunksOf(JsonNode event) {
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
		}
		JsonNode usage = event.path("usage");
		if (usage.isObject()) {
			chunks.add(new ChatChunk("", usage(usage), model));
		}
		return chunks;
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
