package io.llmspell.web;

import java.util.function.Supplier;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

/**
 * Runs a piece of request handling with the request's observation current on the thread,
 * so that what it starts (a run's span) is the request's child. Done here, once per
 * request, instead of Reactor's automatic context propagation, which restores thread
 * locals around every operator of every request and every LLM call.
 */
final class RequestObservation {

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	private RequestObservation() {
	}

	/** {@code work}'s result, computed with the request's observation current. */
	static <T> Mono<T> within(Supplier<T> work) {
		return Mono.deferContextual((context) -> {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context,
					ObservationThreadLocalAccessor.KEY)) {
				return Mono.justOrEmpty(work.get());
			}
		});
	}

}
