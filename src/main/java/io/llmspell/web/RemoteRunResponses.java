package io.llmspell.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.llmspell.run.RemoteRun;
import io.llmspell.run.RemoteRuns;
import io.llmspell.run.RunEvent;
import io.llmspell.run.RunFinishedException;
import io.llmspell.run.UnknownRunException;

/**
 * {@code /runs/{id}} for a run another instance of the cluster executes: the same
 * documents and streams as for a local run, read from the shared store.
 */
final class RemoteRunResponses {

	private final RemoteRuns runs;

	private final RunResponses responses;

	RemoteRunResponses(RemoteRuns runs, RunResponses responses) {
		this.runs = runs;
		this.responses = responses;
	}

	Mono<ResponseEntity<Map<String, Object>>> status(String id) {
		return find(id).flatMap((run) -> runs.eventsSoFar(id)
			.map((events) -> ResponseEntity.ok()
				.cacheControl(CacheControl.noStore())
				.contentType(MediaType.APPLICATION_JSON)
				.body(status(run, events))));
	}

	Mono<ResponseEntity<?>> events(String id, long after, MediaType format) {
		return find(id).map((run) -> {
			if (run.finished() && after >= run.lastEventId()) {
				return ResponseEntity.noContent().cacheControl(CacheControl.noStore()).build();
			}
			if (format.equals(MediaType.APPLICATION_NDJSON)) {
				return responses.watcherNdjson(runs.eventsAfter(id, after));
			}
			return responses.watcherSse(runs.eventsAfter(id, after));
		});
	}

	Mono<ResponseEntity<Map<String, Object>>> cancel(String id, String reason) {
		return find(id).flatMap((run) -> {
			if (run.finished()) {
				return Mono.error(new RunFinishedException(id, run.status()));
			}
			Map<String, Object> accepted = new LinkedHashMap<>();
			accepted.put("runId", id);
			accepted.put("state", run.state());
			accepted.put("cancelReason", (run.cancelReason() != null) ? run.cancelReason() : reason);
			return runs.cancel(id, reason)
				.thenReturn(ResponseEntity.accepted()
					.cacheControl(CacheControl.noStore())
					.contentType(MediaType.APPLICATION_JSON)
					.body(accepted));
		});
	}

	private Mono<RemoteRun> find(String id) {
		return runs.find(id).switchIfEmpty(Mono.error(() -> new UnknownRunException(id)));
	}

	/**
	 * The same document as {@link RunResponses#status(io.llmspell.run.SpellRun, List)}.
	 */
	static Map<String, Object> status(RemoteRun run, List<RunEvent> events) {
		Map<String, Object> summary = RunResponses.summary(run.id(), run.spell(), events);
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("runId", run.id());
		status.put("spell", run.spell());
		status.put("version", run.version());
		status.put("params", run.params());
		status.put("provider", run.provider());
		status.put("model", run.model());
		status.put("detached", run.detached());
		status.put("state", run.state());
		status.put("status", summary.get("status"));
		status.put("cancelReason", run.cancelReason());
		status.put("createdAt", run.createdAt());
		status.put("startedAt", run.startedAt());
		status.put("finishedAt", run.finishedAt());
		status.put("durationMs", summary.get("durationMs"));
		status.put("usage", summary.get("usage"));
		status.put("result", summary.get("result"));
		status.put("error", summary.get("error"));
		status.put("lastEventId", events.isEmpty() ? 0 : events.get(events.size() - 1).id());
		status.put("output", summary.get("output"));
		status.put("callbacks", summary.get("callbacks"));
		status.put("logs", summary.get("logs"));
		return status;
	}

}
