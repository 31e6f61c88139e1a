package io.llmspell.llm;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.StringUtils;

/**
 * A provider reached over HTTP through an {@link LlmHttpClient}: one JSON request per
 * answer, a server-sent event stream per streamed answer, a GET for the models.
 * Subclasses say where and in which dialect; the resilience, limits and metrics are the
 * client's.
 */
public abstract class HttpLlmProvider implements LlmProvider, AutoCloseable {

	private final String name;

	private final String defaultModel;

	private final LlmHttpClient client;

	private volatile CallGate gate = CallGate.OPEN;

	protected HttpLlmProvider(String name, String defaultModel, LlmHttpClient client) {
		this.name = name;
		this.defaultModel = defaultModel;
		this.client = client;
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public String defaultModel() {
		return defaultModel;
	}

	@Override
	public Mono<ChatResponse> chat(ChatRequest request) {
		String refusal = refusal(request);
		if (refusal != null) {
			return Mono.error(new LlmException(name, refusal));
		}
		String model = modelOf(request);
		Mono<ChatResponse> attempt = gate.admit(name,
				client.postForJson(chatPath(), body(request, model, false)).map((json) -> response(json, model)),
				ChatResponse::usage);
		return client.call(model, request.timeout(), attempt, ChatResponse::usage);
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		String refusal = refusal(request);
		if (refusal != null) {
			return Flux.error(new LlmException(name, refusal));
		}
		String model = modelOf(request);
		Flux<ChatChunk> attempt = gate.admit(name,
				chunks(client.postForEvents(chatPath(), body(request, model, true)), model), ChatChunk::usage);
		return client.stream(model, request.timeout(), attempt, ChatChunk::usage);
	}

	@Override
	public Mono<List<String>> listModels() {
		return client.call(null, null, client.getJson(modelsPath()).map(this::modelIds), null);
	}

	/**
	 * Every chat request passes {@code gate} first, per attempt (the cluster's limits).
	 */
	public void gateCalls(CallGate gate) {
		this.gate = gate;
	}

	/** The client, for what a dialect needs of it (its own errors). */
	protected LlmHttpClient client() {
		return client;
	}

	/** The path of a chat request, relative to the base URL. */
	protected abstract String chatPath();

	/** The path of the model list, relative to the base URL. */
	protected abstract String modelsPath();

	/** The JSON body of a chat request in this provider's dialect. */
	protected abstract Map<String, Object> body(ChatRequest request, String model, boolean stream);

	/** A whole answer from its JSON. */
	protected abstract ChatResponse response(JsonNode json, String requestedModel);

	/** A streamed answer's chunks from its server-sent events. */
	protected abstract Flux<ChatChunk> chunks(Flux<ServerSentEvent<String>> events, String requestedModel);

	/** The model ids of a model list. */
	protected abstract List<String> modelIds(JsonNode json);

	private String modelOf(ChatRequest request) {
		return StringUtils.hasText(request.model()) ? request.model() : defaultModel;
	}

	@Override
	public void close() {
		client.close();
	}

}
