package io.llmspell.cluster;

/**
 * Where a run lives in Redis. The braces make a hash tag: a run's keys sit in one slot of
 * a Redis Cluster, so one script may touch them all.
 * <ul>
 * <li>{@code run:{id}}: a hash, what {@code GET /runs/{id}} tells besides the events;
 * <li>{@code run:{id}:events}: a stream of the events, entry {@code N-0} for event N,
 * fields {@code e} (name) and {@code d} (data as JSON);
 * <li>{@code run:{id}:lease}: the owning instance's name, while it is alive;
 * <li>channel {@code run:{id}:events}: the id of each new event, for live watchers;
 * <li>channel {@code cancel}: cancel requests, for the owning instance.
 * </ul>
 */
final class RunKeys {

	private final ClusterRedis redis;

	RunKeys(ClusterRedis redis) {
		this.redis = redis;
	}

	String meta(String id) {
		return redis.key("run:{" + id + "}");
	}

	String events(String id) {
		return redis.key("run:{" + id + "}:events");
	}

	String lease(String id) {
		return redis.key("run:{" + id + "}:lease");
	}

	String eventsChannel(String id) {
		return redis.key("run:{" + id + "}:events");
	}

	String cancelChannel() {
		return redis.key("cancel");
	}

}
