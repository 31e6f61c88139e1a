package io.llmspell.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The embedded default {@link StorageBackend}: one H2 MVStore file under the data
 * directory. Every call runs on Reactor's {@code boundedElastic} scheduler, so disk I/O
 * never reaches an event-loop thread. Each write takes its namespace's lock, checks the
 * quota against the namespace's usage (counted once by a scan when the namespace is first
 * touched, then kept up to date) and commits before it completes: a finished write is on
 * disk.
 *
 * <p>
 * Entries live in one sorted map; a physical key is the kind ({@code k} key, {@code b}
 * blob), the namespace's length, the namespace and the key, so namespaces can never run
 * into each other. A stored entry is {@code "<expires-at-millis or 0>\n<value>"}.
 */
public class MvStoreBackend implements StorageBackend, AutoCloseable {

	static final String FILE_NAME = "storage.mv.db";

	private final MVStore store;

	private final MVMap<String, String> entries;

	private final StoreQuota quota;

	private final Clock clock;

	private final Scheduler scheduler;

	private final ConcurrentMap<String, Namespace> namespaces = new ConcurrentHashMap<>();

	public MvStoreBackend(Path dataDir, StoreQuota quota) {
		this(dataDir, quota, Clock.systemUTC(), Schedulers.boundedElastic());
	}

	MvStoreBackend(Path dataDir, StoreQuota quota, Clock clock, Scheduler scheduler) {
		try {
			Files.createDirectories(dataDir);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot create the storage directory " + dataDir, ex);
		}
		this.store = new MVStore.Builder().fileName(dataDir.resolve(FILE_NAME).toString()).open();
		this.entries = this.store.openMap("entries");
		this.quota = quota;
		this.clock = clock;
		this.scheduler = scheduler;
	}

	@Override
	public Mono<String> get(String namespace, String key) {
		return call(() -> live(namespace, physical('k', namespace, key)));
	}

	@Override
	public Mono<Void> set(String namespace, String key, String value, Duration ttl) {
		long expiresAt = (ttl == null || ttl.isZero() || ttl.isNegative()) ? 0
				: this.clock.millis() + Math.max(1, ttl.toMillis());
		return call(() -> {
			put(namespace, 'k', key, value, expiresAt);
			return null;
		});
	}

	@Override
	public Mono<Boolean> exists(String namespace, String key) {
		return call(() -> live(namespace, physical('k', namespace, key)) != null);
	}

	@Override
	public Mono<Boolean> delete(String namespace, String key) {
		return call(() -> remove(namespace, 'k', key));
	}

	@Override
	public Flux<String> list(String namespace, String prefix) {
		return call(() -> keys(namespace, (prefix != null) ? prefix : "")).flatMapIterable((keys) -> keys);
	}

	@Override
	public Mono<String> read(String namespace, String name) {
		return call(() -> live(namespace, physical('b', namespace, name)));
	}

	@Override
	public Mono<Void> write(String namespace, String name, String text) {
		return call(() -> {
			put(namespace, 'b', name, text, 0);
			return null;
		});
	}

	@Override
	public Mono<Boolean> deleteBlob(String namespace, String name) {
		return call(() -> remove(namespace, 'b', name));
	}

	@Override
	public Mono<StoreUsage> usage(String namespace) {
		return call(() -> {
			Namespace ns = namespace(namespace);
			synchronized (ns) {
				return new StoreUsage(ns.entries, ns.bytes);
			}
		});
	}

	@Override
	public void close() {
		this.store.close();
	}

	private <T> Mono<T> call(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(this.scheduler);
	}

	private void put(String namespace, char kind, String key, String value, long expiresAt) {
		this.quota.checkEntry(key, value);
		String physical = physical(kind, namespace, key);
		long size = StoreQuota.sizeOf(key, value);
		Namespace ns = namespace(namespace);
		synchronized (ns) {
			String old = this.entries.get(physical);
			long replaced = (old != null) ? StoreQuota.sizeOf(key, valueOf(old)) : 0;
			try {
				this.quota.checkRoom(ns.usage(), old == null, replaced, size);
			}
			catch (StoreQuotaException ex) {
				// expired entries still count until released: release them, then ask
				// again
				purgeExpired(namespace, ns);
				old = this.entries.get(physical);
				replaced = (old != null) ? StoreQuota.sizeOf(key, valueOf(old)) : 0;
				this.quota.checkRoom(ns.usage(), old == null, replaced, size);
			}
			this.entries.put(physical, expiresAt + "\n" + value);
			if (old == null) {
				ns.entries++;
			}
			ns.bytes += size - replaced;
			this.store.commit();
		}
	}

	private boolean remove(String namespace, char kind, String key) {
		String physical = physical(kind, namespace, key);
		Namespace ns = namespace(namespace);
		synchronized (ns) {
			String old = this.entries.remove(physical);
			if (old == null) {
				return false;
			}
			ns.entries--;
			ns.bytes -= StoreQuota.sizeOf(key, valueOf(old));
			this.store.commit();
			return !expired(old);
		}
	}

	/**
	 * The value under a physical key, or null; an expired entry is released on the way.
	 */
	private String live(String namespace, String physical) {
		String stored = this.entries.get(physical);
		if (stored == null) {
			return null;
		}
		if (!expired(stored)) {
			return valueOf(stored);
		}
		Namespace ns = namespace(namespace);
		synchronized (ns) {
			// removed only if nobody replaced it meanwhile
			if (this.entries.remove(physical, stored)) {
				ns.entries--;
				ns.bytes -= StoreQuota.sizeOf(keyOf(physical), valueOf(stored));
			}
		}
		return null;
	}

	private List<String> keys(String namespace, String prefix) {
		String from = physical('k', namespace, prefix);
		int keyStart = from.length() - prefix.length();
		List<String> keys = new ArrayList<>();
		Cursor<String, String> cursor = this.entries.cursor(from);
		while (cursor.hasNext()) {
			String physical = cursor.next();
			if (!physical.startsWith(from)) {
				break;
			}
			if (!expired(cursor.getValue())) {
				keys.add(physical.substring(keyStart));
			}
		}
		return keys;
	}

	private void purgeExpired(String namespace, Namespace ns) {
		for (char kind : new char[] { 'k', 'b' }) {
			String from = physical(kind, namespace, "");
			Iterator<String> keys = this.entries.keyIterator(from);
			List<String> expired = new ArrayList<>();
			while (keys.hasNext()) {
				String physical = keys.next();
				if (!physical.startsWith(from)) {
					break;
				}
				String stored = this.entries.get(physical);
				if (stored != null && expired(stored)) {
					expired.add(physical);
				}
			}
			for (String physical : expired) {
				String old = this.entries.remove(physical);
				if (old != null) {
					ns.entries--;
					ns.bytes -= StoreQuota.sizeOf(keyOf(physical), valueOf(old));
				}
			}
		}
	}

	/** The namespace's state, its usage counted from the store the first time. */
	private Namespace namespace(String namespace) {
		return this.namespaces.computeIfAbsent(namespace, (name) -> {
			Namespace ns = new Namespace();
			for (char kind : new char[] { 'k', 'b' }) {
				String from = physical(kind, name, "");
				Cursor<String, String> cursor = this.entries.cursor(from);
				while (cursor.hasNext()) {
					String physical = cursor.next();
					if (!physical.startsWith(from)) {
						break;
					}
					ns.entries++;
					ns.bytes += StoreQuota.sizeOf(physical.substring(from.length()), valueOf(cursor.getValue()));
				}
			}
			return ns;
		});
	}

	private boolean expired(String stored) {
		long expiresAt = Long.parseLong(stored, 0, stored.indexOf('\n'), 10);
		return expiresAt != 0 && expiresAt <= this.clock.millis();
	}

	private static String valueOf(String stored) {
		return stored.substring(stored.indexOf('\n') + 1);
	}

	static String physical(char kind, String namespace, String key) {
		return kind + Integer.toString(namespace.length()) + ":" + namespace + key;
	}

	private static String keyOf(String physical) {
		int colon = physical.indexOf(':');
		int length = Integer.parseInt(physical, 1, colon, 10);
		return physical.substring(colon + 1 + length);
	}

	/**
	 * One namespace's usage; guarded by its own monitor, which also orders its writes.
	 */
	private static final class Namespace {

		long entries;

		long bytes;

		StoreUsage usage() {
			return new StoreUsage(this.entries, this.bytes);
		}

	}

}
