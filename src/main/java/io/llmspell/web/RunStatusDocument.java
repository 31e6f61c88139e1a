package io.llmspell.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.llmspell.run.RemoteRun;
import io.llmspell.run.RunEvent;
import io.llmspell.run.SpellRun;

/**
 * What {@code GET /runs/{id}} shows of a run besides its events, for a run of this
 * instance and one of another alike: one builder, so the two documents cannot drift.
 */
record RunStatusDocument(String runId, String spell, String version, Map<String, Object> params, String provider,
		String model, boolean detached, String state, String cancelReason, String createdAt, String startedAt,
		String finishedAt) {

	static RunStatusDocument of(SpellRun run) {
		return new RunStatusDocument(run.id(), run.spell().name(), run.spell().version(), run.params(), run.provider(),
				run.model(), run.detached(), run.state().name().toLowerCase(Locale.ROOT), run.cancelReason(),
				text(run.createdAt()), text(run.startedAt()), text(run.finishedAt()));
	}

	static RunStatusDocument of(RemoteRun run) {
		return new RunStatusDocument(run.id(), run.spell(), run.version(), run.params(), run.provider(), run.model(),
				run.detached(), run.state(), run.cancelReason(), run.createdAt(), run.startedAt(), run.finishedAt());
	}

	/** The document, with what the events emitted so far tell. */
	Map<String, Object> with(List<RunEvent> events) {
		Map<String, Object> summary = RunResponses.summary(runId, spell, events);
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("runId", runId);
		status.put("spell", spell);
		status.put("version", version);
		status.put("params", params);
		status.put("provider", provider);
		status.put("model", model);
		status.put("detached", detached);
		status.put("state", state);
		status.put("status", summary.get("status"));
		status.put("cancelReason", cancelReason);
		status.put("createdAt", createdAt);
		status.put("startedAt", startedAt);
		status.put("finishedAt", finishedAt);
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

	private static String text(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
