package io.llmspell.store;

/** A write refused because it would break the namespace's {@link StoreQuota}. */
public class StoreQuotaException extends StoreException {

	public StoreQuotaException(String message) {
		super(message);
	}

}
