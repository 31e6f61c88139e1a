package io.llmspell.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a {@link StorageBackendMissingException} as what is wrong and what to set. */
class StorageBackendMissingFailureAnalyzer extends AbstractFailureAnalyzer<StorageBackendMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StorageBackendMissingException cause) {
		return new FailureAnalysis(cause.getMessage() + ".", cause.action(), cause);
	}

}
