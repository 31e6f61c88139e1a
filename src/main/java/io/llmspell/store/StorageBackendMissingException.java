package io.llmspell.store;

/**
 * {@code llmspell.storage.backend} names a backend that nothing configured: startup stops
 * here instead of at the first bean that needs storage, with a message that says what to
 * set.
 */
public class StorageBackendMissingException extends IllegalStateException {

	private final String backend;

	public StorageBackendMissingException(String backend) {
		super(message(backend));
		this.backend = backend;
	}

	/** The value of {@code llmspell.storage.backend}. */
	public String backend() {
		return backend;
	}

	/** What to change: the settings that make this backend exist, or the known values. */
	public String action() {
		if ("redis".equals(backend)) {
			return "Configure the cluster's Redis (llmspell.cluster.redis-url, LLMSPELL_CLUSTER_REDIS_URL, or "
					+ "spring.data.redis.url / spring.data.redis.host), or set llmspell.storage.backend=file "
					+ "(the default) to keep the data in a local file.";
		}
		return "Set llmspell.storage.backend to file (the default) or redis.";
	}

	private static String message(String backend) {
		if ("redis".equals(backend)) {
			return "llmspell.storage.backend is 'redis', but no Redis is configured: the redis storage backend "
					+ "uses the cluster's Redis";
		}
		return "llmspell.storage.backend is '" + backend + "', which is no storage backend";
	}

}
