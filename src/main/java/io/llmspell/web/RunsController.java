package io.llmspell.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebInputException;

import io.llmspell.run.RemoteRuns;
import io.llmspell.run.IdempotencyKeys;
import io.llmspell.run.RunFinishedException;
import io.llmspell.run.RunOptions;
import io.llmspell.run.RunRegistry;
import io.llmspell.run.RunService;
import io.llmspell.run.SpellRun;
import io.llmspell.spell.Spell;
import io.llmspell.spell.SpellCatalog;
import io.llmspell.spell.SpellParameterBinder;

/**
 * The runs resource: runs that outlive a connection. {@code POST /spells/{name}/runs}
 * starts a detached run; {@code /runs/{id}} tells its status, streams its events to any
 * number of watchers (resuming after {@code Last-Event-ID}), and cancels it on
 * {@code DELETE}.
 */
@RestController
@Tag(name = "runs", description = "Running spells")
public class RunsController {

	static final String LAST_EVENT_ID = "Last-Event-ID";

	static final String CANCELLED_BY_DELETE = "cancelled by DELETE";

	private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

	private static final List<MediaType> STREAMS = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON);

	private final SpellCatalog catalog;

	private final SpellParameterBinder binder;

	private final RunService runs;

	private final RunRegistry registry;

	private final RunRequestReader reader;

	private final RunResponses responses;

	/** The runs of the other instances, when the service runs as a cluster. */
	private volatile RemoteRunResponses remote;

	private final IdempotentStarts starts;

	public RunsController(SpellCatalog catalog, SpellParameterBinder binder, RunService runs, RunRegistry registry,
			RunRequestReader reader, RunResponses responses, IdempotentStarts starts) {
		this.starts = starts;
		this.catalog = catalog;
		this.binder = binder;
		this.runs = runs;
		this.registry = registry;
		this.reader = reader;
		this.responses = responses;
	}

	/**
	 * Serves the ids this instance does not know from the cluster's shared store.
	 */
	@Autowired(required = false)
	void setRemoteRuns(RemoteRuns remoteRuns) {
		this.remote = new RemoteRunResponses(remoteRuns, responses);
	}

	/**
	 * Starts a run that no connection holds: 202 with its id, at once; the run goes on by
	 * itself.
	 */
	@Operation(summary = "Start a run that outlives its connection",
			description = "Same body, parameters and Idempotency-Key as POST /spells/{name}/run; answers at once "
					+ "with the run's id. A repeat with the same Idempotency-Key answers the same run "
					+ "(Idempotent-Replayed: true).",
			parameters = {
					@Parameter(name = "name", in = ParameterIn.PATH, description = "the spell's name", required = true,
							example = "hello"),
					@Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER,
							description = "a key of the client's that makes a repeat of this request answer the "
									+ "same run",
							schema = @Schema(type = "string")) },
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
					content = @Content(mediaType = "application/json",
							schema = @Schema(implementation = ApiSchemas.RunBody.class))),
			responses = {
					@ApiResponse(responseCode = "202", description = "started; Location: /runs/{id}",
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = ApiSchemas.RunAccepted.class))),
					@ApiResponse(responseCode = "404", description = "unknown spell",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))),
					@ApiResponse(responseCode = "409",
							description = "the spell is broken (a Lua syntax error, an invalid spell.yaml); "
									+ "the detail names file:line and the message",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))) })
	@PostMapping("/spells/{name}/runs")
	public Mono<ResponseEntity<Map<String, Object>>> start(@PathVariable String name, ServerHttpRequest request) {
		negotiate(request.getHeaders().getAccept(), JSON);
		Spell spell = catalog.get(name);
		return reader.read(request).flatMap((body) -> RequestObservation.within(() -> {
			Map<String, Object> params = binder.bind(spell, body.params(), request.getQueryParams());
			RunOptions asked = RunOptions.from(body.options());
			// nobody's disconnect may cancel it, whatever options.detach says
			RunOptions detached = new RunOptions(asked.provider(), asked.model(), asked.limits(), true);
			IdempotencyKeys.Claim claim = starts.start("runs", spell, params, body.options(), detached, request);
			SpellRun run = claim.run();
			Map<String, Object> accepted = new LinkedHashMap<>();
			accepted.put("runId", run.id());
			accepted.put("location", path(run.id()));
			accepted.put("events", path(run.id()) + "/events");
			ResponseEntity.BodyBuilder answer = ResponseEntity.accepted();
			if (claim.replayed()) {
				answer.header(IdempotentStarts.REPLAYED, "true");
			}
			return answer.location(URI.create(path(run.id())))
				.cacheControl(CacheControl.noStore())
				.contentType(MediaType.APPLICATION_JSON)
				.body(accepted);
		}));
	}

	/** Status and summary: queued, running or finished, with what it has done so far. */
	@Operation(summary = "A run's status and summary", responses = {
			@ApiResponse(responseCode = "200", description = "queued, running or finished, with what it did so far",
					content = @Content(mediaType = "application/json",
							schema = @Schema(implementation = ApiSchemas.RunStatus.class))),
			@ApiResponse(responseCode = "404", description = "unknown or no longer retained",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiSchemas.Problem.class))) })
	@GetMapping("/runs/{id}")
	public Mono<ResponseEntity<Map<String, Object>>> status(@PathVariable String id) {
		if (remote != null && registry.find(id).isEmpty()) {
			return remote.status(id);
		}
		return responses.status(registry.get(id));
	}

	/**
	 * The run's events as SSE (or NDJSON), from the first or from after
	 * {@code Last-Event-ID} (the header, else the {@code lastEventId} query parameter),
	 * then live until {@code done}.
	 */
	@Operation(summary = "Watch a run's events",
			description = "SSE (or NDJSON) from the first event, or after Last-Event-ID (header or lastEventId), "
					+ "then live until done. Watching never cancels the run.",
			responses = {
					@ApiResponse(responseCode = "200", description = "the events",
							content = {
									@Content(mediaType = "text/event-stream",
											schema = @Schema(type = "string",
													description = "SSE: id, event and a JSON data line per RunEvent")),
									@Content(mediaType = "application/x-ndjson",
											schema = @Schema(implementation = ApiSchemas.RunEventLine.class)) }),
					@ApiResponse(responseCode = "204", description = "finished, and the client has every event"),
					@ApiResponse(responseCode = "400", description = "Last-Event-ID or lastEventId is not an event id",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))),
					@ApiResponse(responseCode = "404", description = "unknown or no longer retained",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))),
					@ApiResponse(responseCode = "406",
							description = "Accept allows neither text/event-stream nor application/x-ndjson",
							content = @Content(mediaType = "application/problem+json",
									schema = @Schema(implementation = ApiSchemas.Problem.class))) })
	@GetMapping("/runs/{id}/events")
	public Mono<ResponseEntity<?>> events(@PathVariable String id,
			@RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventIdHeader,
			@RequestParam(name = "lastEventId", required = false) String lastEventIdParam, ServerHttpRequest request) {
		MediaType format = negotiate(request.getHeaders().getAccept(), STREAMS);
		// a reconnecting EventSource sends the header with its newest id while its URL
		// keeps the old query
		long after = StringUtils.hasText(lastEventIdHeader) ? eventId(lastEventIdHeader, LAST_EVENT_ID)
				: StringUtils.hasText(lastEventIdParam) ? eventId(lastEventIdParam, "lastEventId") : 0;
		if (remote != null && registry.find(id).isEmpty()) {
			return remote.events(id, after, format);
		}
		SpellRun run = registry.get(id);
		if (run.state() == SpellRun.State.FINISHED && after >= run.lastEventId()) {
			// the client has everything: 204 is how SSE tells an EventSource to stop
			// reconnecting
			return Mono.just(ResponseEntity.noContent().cacheControl(CacheControl.noStore()).build());
		}
		if (format.equals(MediaType.APPLICATION_NDJSON)) {
			return Mono.just(responses.watcherNdjson(run.eventsAfter(after)));
		}
		return Mono.just(responses.watcherSse(run.eventsAfter(after)));
	}

	/**
	 * Asks a queued or running run to stop (202); it ends with {@code done} status
	 * {@code cancelled}.
	 */
	@Operation(summary = "Cancel a run", responses = {
			@ApiResponse(responseCode = "202", description = "cancelling: its stream ends with done status cancelled",
					content = @Content(mediaType = "application/json",
							schema = @Schema(implementation = ApiSchemas.RunCancelling.class))),
			@ApiResponse(responseCode = "404", description = "unknown or no longer retained",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiSchemas.Problem.class))),
			@ApiResponse(responseCode = "409", description = "already finished",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiSchemas.Problem.class))) })
	@DeleteMapping("/runs/{id}")
	public Mono<ResponseEntity<Map<String, Object>>> cancel(@PathVariable String id) {
		if (remote != null && registry.find(id).isEmpty()) {
			return remote.cancel(id, CANCELLED_BY_DELETE);
		}
		SpellRun run = registry.get(id);
		if (run.state() == SpellRun.State.FINISHED) {
			throw new RunFinishedException(run.id(), run.outcome().status());
		}
		run.cancel(CANCELLED_BY_DELETE);
		Map<String, Object> accepted = new LinkedHashMap<>();
		accepted.put("runId", run.id());
		accepted.put("state", run.state().name().toLowerCase(Locale.ROOT));
		accepted.put("cancelReason", run.cancelReason());
		return Mono.just(ResponseEntity.accepted()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON)
			.body(accepted));
	}

	private static String path(String runId) {
		return "/runs/" + runId;
	}

	private static long eventId(String value, String name) {
		try {
			long id = Long.parseLong(value.strip());
			if (id >= 0) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new ServerWebInputException(
				name + " must be an event id of this run (0, 1, 2, ...), not '" + value + "'");
	}

	/**
	 * The first of the client's acceptable types (by quality) among {@code producible};
	 * none or {@code *}{@code /*} gets the first.
	 */
	static MediaType negotiate(List<MediaType> accept, List<MediaType> producible) {
		if (accept.isEmpty()) {
			return producible.get(0);
		}
		List<MediaType> sorted = new ArrayList<>(accept);
		sorted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType acceptable : sorted) {
			if (acceptable.getQualityValue() == 0) {
				continue;
			}
			if (acceptable.equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON)
					&& producible.contains(MediaType.APPLICATION_JSON)) {
				// generated clients send it beside (or instead of) application/json
				return MediaType.APPLICATION_JSON;
			}
			for (MediaType candidate : producible) {
				if (acceptable.includes(candidate)) {
					return candidate;
				}
			}
		}
		throw new NotAcceptableStatusException(producible);
	}

}
