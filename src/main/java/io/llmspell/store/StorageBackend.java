package io.llmspell.store;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the {@code storage} Lua module keeps a spell's data: small values under keys, and
 * text blobs under names. The embedded default is {@link MvStoreBackend} (a file under
 * {@code llmspell.storage.data-dir}); a shared backend (Redis, for the scale-out) plugs
 * in through {@code llmspell.storage.backend}.
 *
 * <h2>Namespaces</h2> Every call names a namespace: the spell's name. Namespaces are
 * disjoint whatever characters they and the keys contain (a backend must not build its
 * physical keys by plain concatenation that {@code ("a:b", "c")} and {@code ("a", "b:c")}
 * could share). Keys and blob names are separate spaces: {@link #list} sees keys only,
 * and a key and a blob may have the same name.
 *
 * <h2>Values</h2> Values and blobs are strings; the Lua module stores values as their
 * JSON text and blobs as given. The backend never interprets them.
 *
 * <h2>Quotas: enforced by each backend, atomically with the write</h2> Every backend is
 * given a {@link StoreQuota} and enforces all of it on every write ({@link #set},
 * {@link #write}): the check and the write are one atomic step per namespace (a lock per
 * namespace in the embedded store, a server-side script or transaction in Redis). A
 * wrapper that reads the usage and then writes would let concurrent writers, on one
 * instance or on many, overshoot the quota together, so there is none. Sizes are counted
 * as {@link StoreQuota#sizeOf}: UTF-8 bytes of key plus value; keys and blobs both count
 * toward the key count and the total bytes of their namespace. Replacing an entry counts
 * only the difference. A refused write fails with {@link StoreQuotaException} and changes
 * nothing. {@link StoreQuota#checkEntry} gives the checks that need no state, so every
 * backend words them alike.
 *
 * <h2>Expiry</h2> {@link #set} takes an optional time to live. An expired entry is
 * invisible at once ({@link #get}, {@link #exists}, {@link #list} behave as if it were
 * deleted); it stops counting toward the quota at the latest when a write would otherwise
 * be refused (the backend then releases the namespace's expired entries first).
 *
 * <h2>Concurrency and threads</h2> Writes from any number of runs and instances are never
 * lost: each write is applied whole, the last one to a key wins. All methods are lazy
 * (nothing happens before subscription) and never block the subscribing thread: a backend
 * doing blocking I/O runs it on a bounded scheduler (Reactor's {@code boundedElastic}),
 * never on an event-loop thread. Failures other than the quota are
 * {@link StoreException}s with a message safe to show to a spell.
 */
public interface StorageBackend {

	/** The value under {@code key}; empty when there is none or it has expired. */
	Mono<String> get(String namespace, String key);

	/**
	 * Stores {@code value} under {@code key}, replacing what was there.
	 * @param ttl how long the entry lives; {@code null} (or zero) for no expiry
	 */
	Mono<Void> set(String namespace, String key, String value, Duration ttl);

	/** Whether a live entry is under {@code key}. */
	Mono<Boolean> exists(String namespace, String key);

	/** Removes {@code key}; {@code true} if a live entry was there. */
	Mono<Boolean> delete(String namespace, String key);

	/**
	 * The live keys that start with {@code prefix} ({@code ""} for all), in ascending
	 * order.
	 */
	Flux<String> list(String namespace, String prefix);

	/** The blob called {@code name}; empty when there is none. */
	Mono<String> read(String namespace, String name);

	/** Stores the blob {@code text} as {@code name}, replacing what was there. */
	Mono<Void> write(String namespace, String name, String text);

	/** Removes the blob {@code name}; {@code true} if it was there. */
	Mono<Boolean> deleteBlob(String namespace, String name);

	/** What the namespace holds now, as the quota counts it. */
	Mono<StoreUsage> usage(String namespace);

}
