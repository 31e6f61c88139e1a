package io.llmspell.store;

/**
 * What a namespace holds, as {@link StoreQuota} counts it.
 *
 * @param entries keys and blobs
 * @param bytes their {@link StoreQuota#sizeOf sizes}, summed
 */
public record StoreUsage(long entries, long bytes) {

	public static final StoreUsage EMPTY = new StoreUsage(0, 0);

}
