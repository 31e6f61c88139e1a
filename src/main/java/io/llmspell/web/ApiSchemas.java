package io.llmspell.web;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shapes of the API's bodies, for the OpenAPI description only: the controllers build
 * the same documents as maps. {@code OpenApiClientTests} reads real answers with a client
 * generated from these, so a shape that drifts from what is sent fails there.
 */
final class ApiSchemas {

	private ApiSchemas() {
	}

	@Schema(name = "RunRequest", description = "The body of a run request; both fields optional.",
			example = "{\"params\": {}, \"options\": {}}")
	record RunBody(
			@Schema(description = "the spell's parameters (see inputSchema of GET /spells/{name})",
					example = "{}") Map<String, Object> params,
			@Schema(description = "provider, model, detach, and lower limits: timeout (seconds), max-instructions, "
					+ "max-memory, max-output-bytes, max-event-bytes, max-output-events, max-pending, max-coroutines, "
					+ "max-string-size, max-call-depth", example = "{}") Map<String, Object> options) {
	}

	@Schema(name = "Problem", description = "An RFC 9457 problem detail (application/problem+json).")
	record Problem(@Schema(example = "about:blank") String type, @Schema(example = "Unknown spell") String title,
			@Schema(example = "404") Integer status, @Schema(example = "no spell named 'nope'") String detail,
			@Schema(example = "/spells/nope/run") String instance,
			@Schema(description = "the parameter at fault (Invalid parameter)") String parameter,
			@Schema(description = "the option at fault (Invalid option)") String option,
			@Schema(description = "the spell named (Unknown spell, Broken spell)") String spell,
			@Schema(description = "the file at fault, relative to the spell's folder (Broken spell)",
					example = "main.lua") String file,
			@Schema(description = "the line at fault, when known (Broken spell)", example = "3") Integer line,
			@Schema(description = "the run named (Unknown run, Run already finished)") String runId,
			@Schema(description = "how the run ended (Run already finished)") String runStatus,
			@Schema(description = "the refused origin (Origin not allowed)") String origin) {
	}

	@Schema(name = "RunAccepted", description = "A run started by POST /spells/{name}/runs.")
	record RunAccepted(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String runId,
			@Schema(description = "/runs/{id}", requiredMode = Schema.RequiredMode.REQUIRED) String location,
			@Schema(description = "/runs/{id}/events", requiredMode = Schema.RequiredMode.REQUIRED) String events) {
	}

	@Schema(name = "RunUsage", description = "What a run's LLM calls consumed; tokens as the providers reported them.")
	record RunUsage(Integer calls, Long promptTokens, Long completionTokens) {
	}

	@Schema(name = "RunError", description = "Why a run failed: data of the error event.")
	record RunError(@Schema(allowableValues = {
			"lua", "limit", "llm", "cancelled", "internal" }) String kind, String message, Integer line,
			String traceback, @Schema(description = "the limit's name, for kind limit") String limit){
	}

	@Schema(name = "RunResult", description = "A finished run as one JSON document: what POST /spells/{name}/run "
			+ "answers to Accept: application/json.")
	record RunResult(String runId, String spell, @Schema(allowableValues = {
			"ok", "error", "timeout", "limit", "cancelled" }) String status,
			@Schema(description = "the printed lines") List<String> output,
			@Schema(description = "data of each callback event") List<Map<String, Object>> callbacks,
			@Schema(description = "data of each log event") List<Map<String, Object>> logs,
			@Schema(description = "what the spell returned (any JSON)") Object result, RunError error, Long durationMs,
			RunUsage usage){
	}

	@Schema(name = "RunStatus", description = "Where a run is, and what it has done so far.")
	record RunStatus(String runId, String spell, String version, Map<String, Object> params, String provider,
			String model, Boolean detached, @Schema(allowableValues = {
					"queued", "running", "finished" }) String state,
			@Schema(description = "null until finished",
					allowableValues = { "ok", "error", "timeout", "limit", "cancelled" }) String status,
			String cancelReason, String createdAt, String startedAt, String finishedAt, Long durationMs, RunUsage usage,
			@Schema(description = "what the spell returned (any JSON)") Object result, RunError error, Long lastEventId,
			List<String> output, List<Map<String, Object>> callbacks, List<Map<String, Object>> logs){
	}

	@Schema(name = "RunCancelling", description = "A cancel that was asked for; the run's done event follows.")
	record RunCancelling(String runId, @Schema(allowableValues = {
			"queued", "running", "finished" }) String state, String cancelReason){
	}

	@Schema(name = "RunEvent", description = "One event of a run: an NDJSON line, or an SSE event's id, event and "
			+ "data fields. data is one of the *Event schemas, by event.")
	record RunEventLine(@Schema(description = "1, 2, 3, ... within the run") Long id, @Schema(allowableValues = {
			"start", "output", "chunk", "callback", "tool", "log", "error", "done" }) String event,
			@Schema(oneOf = { StartEvent.class, OutputEvent.class, ChunkEvent.class, CallbackEvent.class,
					LogEvent.class, RunError.class, DoneEvent.class }) Map<String, Object> data){
	}

	@Schema(name = "StartEvent", description = "data of start: first, always.")
	record StartEvent(String runId, String spell, String version, Map<String, Object> params, String provider,
			String model) {
	}

	@Schema(name = "OutputEvent", description = "data of output: one print.")
	record OutputEvent(String text) {
	}

	@Schema(name = "ChunkEvent", description = "data of chunk: a streamed piece of llm.stream_chat.")
	record ChunkEvent(String callId, String text) {
	}

	@Schema(name = "CallbackEvent", description = "data of callback: an async call's callback dispatched.")
	record CallbackEvent(String callId, String kind, Boolean ok, Object result, String error, Long elapsedMs,
			String provider, String model, Map<String, Object> usage) {
	}

	@Schema(name = "LogEvent", description = "data of log: log.* and runtime warnings.")
	record LogEvent(String level, String message, Map<String, Object> fields) {
	}

	@Schema(name = "DoneEvent", description = "data of done: last, always.")
	record DoneEvent(@Schema(allowableValues = {
			"ok", "error", "timeout", "limit", "cancelled" }) String status, Long durationMs, Object result,
			RunUsage usage){
	}

}
