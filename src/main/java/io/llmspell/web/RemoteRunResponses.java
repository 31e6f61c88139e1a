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

	/** The same document as for a local run: {@link RunStatusDocument}. */
	static Map<String, Object> status(RemoteRun run, List<RunEvent> events) {
		return RunStatusDocument.of(run).with(events);
	}

}
