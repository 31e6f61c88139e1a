package io.llmspell.web;

import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import io.llmspell.run.LimitsProperties;

/**
 * Reads a run request's body within the size limit: 413 past it, 415 when it is not JSON,
 * 400 when it is not {@code {"params": {...}, "options": {...}}}.
 */
@Component
class RunRequestReader {

	private static final Set<String> FIELDS = Set.of("params", "options");

	private final JsonMapper json;

	private final long maxBodySize;

	RunRequestReader(LimitsProperties limits) {
		this.json = JsonMapper.builder().build();
		this.maxBodySize = limits.maxBodySize().toBytes();
	}

	Mono<RunRequest> read(ServerHttpRequest request) {
		long declared = request.getHeaders().getContentLength();
		if (declared > maxBodySize) {
			return Mono.error(new BodyTooLargeException(maxBodySize));
		}
		return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBodySize)).map((buffer) -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return bytes;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		})
			.onErrorMap(DataBufferLimitException.class, (ex) -> new BodyTooLargeException(maxBodySize))
			.map((bytes) -> parse(bytes, request.getHeaders().getContentType()))
			.defaultIfEmpty(RunRequest.EMPTY);
	}

	private RunRequest parse(byte[] bytes, MediaType contentType) {
		if (bytes.length == 0 || new String(bytes).isBlank()) {
			return RunRequest.EMPTY;
		}
		if (contentType == null || !(contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
				|| contentType.getSubtype().endsWith("+json"))) {
			throw new UnsupportedMediaTypeStatusException(contentType, java.util.List.of(MediaType.APPLICATION_JSON));
		}
		Object body;
		try {
			body = json.readValue(bytes, Object.class);
		}
		catch (JacksonException ex) {
			throw new InvalidBodyException("the body is not valid JSON: " + ex.getOriginalMessage());
		}
		if (!(body instanceof Map<?, ?> map)) {
			throw new InvalidBodyException("the body must be a JSON object {\"params\": {...}, \"options\": {...}}");
		}
		for (Object key : map.keySet()) {
			if (!FIELDS.contains(key)) {
				throw new InvalidBodyException("unknown field '" + key + "' in the body; it takes params and options");
			}
		}
		return new RunRequest(object(map.get("params"), "params"), object(map.get("options"), "options"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> object(Object value, String field) {
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?>)) {
			throw new InvalidBodyException("'" + field + "' must be a JSON object");
		}
		return (Map<String, Object>) value;
	}

}
