package io.llmspell.llm;

import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What each request to a provider passes before it goes out, beyond this instance's
 * {@link ConcurrencyLimiter}: the cluster-wide limits of io.llmspell.cluster. Applied per
 * attempt, so that a retry counts as the request it is. The gate may delay the attempt,
 * or fail it with an {@link LlmException}.
 */
public interface CallGate {

	/** No limit beyond the instance's own. */
	CallGate OPEN = new CallGate() {

		@Override
		public <T> Mono<T> admit(String provider, Mono<T> attempt, Function<T, Usage> usageOf) {
			return attempt;
		}

		@Override
		public <T> Flux<T> admit(String provider, Flux<T> attempt, Function<T, Usage> usageOf) {
			return attempt;
		}

	};

	/**
	 * {@code attempt}, subscribed once the gate lets it through.
	 * @param usageOf the tokens an answer reports (counted against a token limit), or
	 * null
	 */
	<T> Mono<T> admit(String provider, Mono<T> attempt, Function<T, Usage> usageOf);

	/** {@code attempt}, subscribed once the gate lets it through. */
	<T> Flux<T> admit(String provider, Flux<T> attempt, Function<T, Usage> usageOf);

}
