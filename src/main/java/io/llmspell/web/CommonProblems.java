package io.llmspell.web;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The problem responses that many operations share, added where an operation does not
 * describe its own: what every request may get (401, 406, 414), what every request but a
 * {@code GET} may get (403), and what every request that starts a run (those with a run
 * request body) may get (400, 413, 415, 422, 429, 503). The controllers describe only
 * what is theirs. Responses are listed by status.
 */
final class CommonProblems implements OpenApiCustomizer {

	private static final String PROBLEM = "#/components/schemas/Problem";

	private static final Map<String, String> EVERY = Map.of("401", "auth is on and the API key is missing or wrong",
			"406", "Accept names nothing this endpoint produces", "414",
			"the request line is over server.netty.max-initial-line-length (a huge query string)");

	private static final Map<String, String> UNSAFE = Map.of("403",
			"a browser page on an origin that CORS does not allow");

	private static final Map<String, String> RUN_STARTS = Map.of("400",
			"bad parameter, option, body or Idempotency-Key", "413", "the body is over llmspell.limits.max-body-size",
			"415", "a body that is not JSON", "422", "Idempotency-Key already used for a different request", "429",
			"at the run limit; see Retry-After", "503", "shutting down; see Retry-After");

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().values().forEach((path) -> path.readOperationsMap().forEach(this::add));
	}

	private void add(PathItem.HttpMethod method, Operation operation) {
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		Map<String, ApiResponse> all = new LinkedHashMap<>(responses);
		EVERY.forEach((status, description) -> all.putIfAbsent(status, problem(description)));
		if (method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD) {
			UNSAFE.forEach((status, description) -> all.putIfAbsent(status, problem(description)));
		}
		if (operation.getRequestBody() != null) {
			RUN_STARTS.forEach((status, description) -> all.putIfAbsent(status, problem(description)));
		}
		ApiResponses sorted = new ApiResponses();
		all.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
			.forEach((entry) -> sorted.addApiResponse(entry.getKey(), entry.getValue()));
		operation.setResponses(sorted);
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/problem+json",
					new MediaType().schema(new Schema<>().$ref(PROBLEM))));
	}

}
