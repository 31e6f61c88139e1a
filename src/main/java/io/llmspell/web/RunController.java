package io.llmspell.web;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.NotAcceptableStatusException;

import io.llmspell.run.IdempotencyKeys;
import io.llmspell.run.RunOptions;
import io.llmspell.run.RunService;
import io.llmspell.run.SpellRun;
import io.llmspell.spell.Spell;
import io.llmspell.spell.SpellCatalog;
import io.llmspell.spell.SpellParameterBinder;

/**
 * {@code POST /spells/{name}/run}: runs a spell and answers as the client's
 * {@code Accept} asks: SSE (also for none or {@code *}{@code /*}), NDJSON, or one JSON
 * document at the end.
 */
@RestController
@Tag(name = "runs", description = "Running spells")
public class RunController {

	static final List<MediaType> PRODUCIBLE = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON,
			MediaType.APPLICATION_JSON);

	private final SpellCatalog catalog;

	private final SpellParameterBinder binder;

	private final RunService runs;

	private final RunRequestReader reader;

	private final RunResponses responses;

	private final IdempotentStarts starts;

	public RunController(SpellCatalog catalog, SpellParameterBinder binder, RunService runs, RunRequestReader reader,
			RunResponses responses, IdempotentStarts starts) {
		this.catalog = catalog;
		this.binder = binder;
		this.runs = runs;
		this.reader = reader;
		this.responses = responses;
		this.starts = starts;
	}

	// Accept is negotiated in the method (SSE by default, problem details whatever was
	// asked), so the
	// media types are documented here rather than declared as the mapping's produces.
	@Operation(summary = "Run a spell and stream its events",
			description = "The body {\"params\": {...}, \"options\": {...}} is optional; query parameters are a "
					+ "shortcut for params. The events come as SSE, NDJSON, or one JSON document at the end "
					+ "(RunResult), as Accept asks: the first type of the Accept list that this endpoint produces "
					+ "wins, none or */* gets SSE, and application/problem+json counts as application/json. "
					+ "Each SSE event has id, event (start, output, chunk, callback, tool, log, error, done) and "
					+ "one JSON data line (see RunEvent). With Idempotency-Key, a repeat of the same request "
					+ "within retention re-attaches to the run the first one started (from after Last-Event-ID) "
					+ "instead of starting another; such a run is detached.",
			parameters = {
					@Parameter(name = "name", in = ParameterIn.PATH, description = "the spell's name", required = true,
							example = "hello"),
					@Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER,
							description = "a key of the client's (1 to 255 visible ASCII characters) that makes "
									+ "a repeat of this request re-attach to the same run",
							schema = @Schema(type = "string")),
					@Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER,
							description = "with a repeated Idempotency-Key: resume after this event id",
							schema = @Schema(type = "integer", format = "int64")) },
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
					content = @Content(mediaType = "application/json",
							schema = @Schema(implementation = ApiSchemas.RunBody.class))),
			responses = {
					@ApiResponse(responseCode = "200", description = "the run's events, start to done",
							content = {
									@Content(mediaType = "application/json",
											schema = @Schema(implementation = ApiSchemas.RunResult.class)),
									@Content(mediaType = "text/event-stream",
											schema = @Schema(type = "string",
													description = "SSE: id, event and a JSON data line per RunEvent")),
									@Content(mediaType = "application/x-ndjson",
											schema = @Schema(implementation = ApiSchemas.RunEventLine.class)) }),
					@ApiResponse(responseCode = "404", description = "unknown spell",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))),
					@ApiResponse(responseCode = "409",
							description = "the spell is broken (a Lua syntax error, an invalid spell.yaml); "
									+ "the detail names file:line and the message",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))) })
	@PostMapping("/spells/{name}/run")
	public Mono<? extends ResponseEntity<?>> run(@PathVariable String name,
			@Parameter(hidden = true) ServerHttpRequest request) {
		MediaType format = negotiate(request.getHeaders().getAccept());
		Spell spell = catalog.get(name);
		return reader.read(request).flatMap((body) -> RequestObservation.within(() -> {
			Map<String, Object> params = binder.bind(spell, body.params(), request.getQueryParams());
			return starts.start("run", spell, params, body.options(), RunOptions.from(body.options()), request);
		})).flatMap((claim) -> respond(claim, format, request));
	}

	private Mono<? extends ResponseEntity<?>> respond(IdempotencyKeys.Claim claim, MediaType format,
			ServerHttpRequest request) {
		SpellRun run = claim.run();
		// a repeat with the same Idempotency-Key re-attaches, from after Last-Event-ID
		long after = claim.replayed() ? lastEventId(request) : 0;
		Mono<? extends ResponseEntity<?>> response;
		if (format.equals(MediaType.APPLICATION_JSON)) {
			response = responses.json(run);
		}
		else if (format.equals(MediaType.APPLICATION_NDJSON)) {
			response = Mono.just(responses.ndjson(run, run.eventsAfter(after)));
		}
		else {
			response = Mono.just(responses.sse(run, run.eventsAfter(after), true));
		}
		return claim.replayed() ? response.map((entity) -> ResponseEntity.status(entity.getStatusCode())
			.headers(entity.getHeaders())
			.header(IdempotentStarts.REPLAYED, "true")
			.body(entity.getBody())) : response;
	}

	private static long lastEventId(ServerHttpRequest request) {
		String header = request.getHeaders().getFirst(RunsController.LAST_EVENT_ID);
		if (header == null || header.isBlank()) {
			return 0;
		}
		try {
			return Math.max(0, Long.parseLong(header.strip()));
		}
		catch (NumberFormatException ex) {
			throw new org.springframework.web.server.ServerWebInputException(
					RunsController.LAST_EVENT_ID + " must be an event id of this run (0, 1, 2, ...)");
		}
	}

	/**
	 * The first of the client's acceptable types (by quality) that this endpoint
	 * produces.
	 */
	static MediaType negotiate(List<MediaType> accept) {
		if (accept.isEmpty()) {
			return MediaType.TEXT_EVENT_STREAM;
		}
		List<MediaType> sorted = new java.util.ArrayList<>(accept);
		sorted.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType acceptable : sorted) {
			if (acceptable.getQualityValue() == 0) {
				continue;
			}
			if (acceptable.equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON)) {
				// generated clients send it beside (or instead of) application/json
				return MediaType.APPLICATION_JSON;
			}
			for (MediaType producible : PRODUCIBLE) {
				if (acceptable.includes(producible)) {
					return producible;
				}
			}
		}
		throw new NotAcceptableStatusException(PRODUCIBLE);
	}

}
