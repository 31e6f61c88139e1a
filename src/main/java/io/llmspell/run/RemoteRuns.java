package io.llmspell.run;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The runs of the other instances of a cluster, for the ids this instance's
 * {@link RunRegistry} does not know. There is a bean only when a shared store is
 * configured (io.llmspell.cluster).
 */
public interface RemoteRuns {

	/** The run with this id, or empty when the cluster does not know it either. */
	Mono<RemoteRun> find(String id);

	/** Its events emitted so far. */
	Mono<List<RunEvent>> eventsSoFar(String id);

	/**
	 * The events after the one numbered {@code lastEventId}, then live ones until
	 * {@code done}; a run whose instance died ends with {@code error} kind {@code lost}.
	 */
	Flux<RunEvent> eventsAfter(String id, long lastEventId);

	/** Asks the instance that runs it to cancel it. */
	Mono<Void> cancel(String id, String reason);

}
