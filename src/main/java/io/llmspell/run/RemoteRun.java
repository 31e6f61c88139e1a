package io.llmspell.run;

import java.util.Map;

/**
 * A run that another instance of the cluster executes (or executed), as the shared store
 * tells it: what {@code GET /runs/{id}} shows besides the events.
 *
 * @param id the run id
 * @param spell the spell's name
 * @param version the spell's version
 * @param params the bound parameters
 * @param provider the provider's name
 * @param model the model
 * @param detached whether a disconnect leaves it running
 * @param state {@code queued}, {@code running} or {@code finished}
 * @param cancelReason why it was cancelled, or null
 * @param createdAt when it was admitted (ISO-8601), or null
 * @param startedAt when it started (ISO-8601), or null
 * @param finishedAt when it ended (ISO-8601), or null
 * @param status how it ended ({@code done}'s status), or null while it runs
 * @param lastEventId the id of its newest event
 * @param owner the instance that runs it
 */
public record RemoteRun(String id, String spell, String version, Map<String, Object> params, String provider,
		String model, boolean detached, String state, String cancelReason, String createdAt, String startedAt,
		String finishedAt, String status, long lastEventId, String owner) {

	public boolean finished() {
		return "finished".equals(state);
	}

}
