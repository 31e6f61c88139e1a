package io.llmspell.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

import io.llmspell.lua.RunError;
import io.llmspell.run.RemoteRun;
import io.llmspell.run.RemoteRuns;
import io.llmspell.run.RunEvent;
import io.llmspell.run.RunsProperties;

/**
 * The runs of the other instances, read from Redis. A watcher reads the run's stream
 * after the last event it has, again whenever the owner announces a new event on the
 * run's channel, and every {@code poll-interval} in case it missed one (a reconnect); on
 * those rounds it also checks the owner's lease, and a run whose lease ran out ends for
 * everyone with {@code error} kind {@code lost}.
 */
final class RedisRuns implements RemoteRuns, SmartLifecycle {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int BATCH = 500;

	private final ClusterRedis redis;

	private final RunKeys keys;

	private final ClusterProperties cluster;

	private final long retentionSeconds;

	/**
	 * Completes every watcher's stream when this instance stops; they resume elsewhere.
	 */
	private final Sinks.Empty<Void> stopping = Sinks.empty();

	private volatile boolean running;

	RedisRuns(ClusterRedis redis, ClusterProperties cluster, RunsProperties runs) {
		this.redis = redis;
		this.keys = new RunKeys(redis);
		this.cluster = cluster;
		this.retentionSeconds = Math.max(1, runs.retentionTime().toSeconds());
	}

	@Override
	public Mono<RemoteRun> find(String id) {
		return markIfLost(id)
			.then(redis.commands().hgetall(keys.meta(id)).collectMap((kv) -> kv.getKey(), (kv) -> kv.getValue()))
			.flatMap((meta) -> meta.isEmpty() ? Mono.empty() : Mono.just(remoteRun(id, meta)));
	}

	@Override
	public Mono<List<RunEvent>> eventsSoFar(String id) {
		return redis.commands().xrange(keys.events(id), Range.create("-", "+")).map(RedisRuns::event).collectList();
	}

	@Override
	public Flux<RunEvent> eventsAfter(String id, long lastEventId) {
		return Flux.defer(() -> {
			Watch watch = new Watch(id, lastEventId);
			Flux<Boolean> announced = redis.listen(keys.eventsChannel(id)).map((message) -> false);
			Flux<Boolean> ticks = Flux.interval(Duration.ZERO, cluster.pollInterval()).map((tick) -> true);
			return Flux.merge(announced, ticks)
				.onBackpressureLatest()
				.concatMap((tick) -> watch.read(tick), 1)
				.takeUntil(RunEvent::isDone)
				.takeUntilOther(stopping.asMono());
		});
	}

	@Override
	public Mono<Void> cancel(String id, String reason) {
		Map<String, String> request = new LinkedHashMap<>();
		request.put("runId", id);
		request.put("reason", reason);
		return redis.publish(keys.cancelChannel(), JSON.writeValueAsString(request)).then();
	}

	/** Ends the run with {@code lost} when its owner's lease ran out: 1 if it did now. */
	private Mono<Long> markIfLost(String id) {
		String[] keyList = { keys.events(id), keys.meta(id), keys.lease(id) };
		Map<String, Object> done = new LinkedHashMap<>();
		done.put("status", "error");
		done.put("durationMs", null);
		done.put("result", null);
		done.put("usage", null);
		return redis
			.<Long>eval(RunScripts.LOST, ScriptOutputType.INTEGER, keyList, Instant.now().toString(),
					keys.eventsChannel(id), RunMirror.json(lost().toMap()), RunMirror.json(done),
					String.valueOf(retentionSeconds))
			.next();
	}

	private static RunError lost() {
		return new RunError("lost", "the instance running it stopped answering (its lease ran out)", null, null, null);
	}

	@SuppressWarnings("unchecked")
	private static RunEvent event(StreamMessage<String, String> message) {
		String id = message.getId();
		long number = Long.parseLong(id.substring(0, id.indexOf('-')));
		Map<String, Object> data = JSON.readValue(message.getBody().get("d"), Map.class);
		return new RunEvent(number, message.getBody().get("e"), data);
	}

	@SuppressWarnings("unchecked")
	private static RemoteRun remoteRun(String id, Map<String, String> meta) {
		String params = meta.get("params");
		Map<String, Object> paramMap = (params != null && !params.isEmpty()) ? JSON.readValue(params, Map.class)
				: Map.of();
		return new RemoteRun(id, meta.get("spell"), meta.get("version"), paramMap, meta.get("provider"),
				meta.get("model"), Boolean.parseBoolean(meta.get("detached")), meta.getOrDefault("state", "queued"),
				blank(meta.get("cancelReason")), blank(meta.get("createdAt")), blank(meta.get("startedAt")),
				blank(meta.get("finishedAt")), blank(meta.get("status")),
				Long.parseLong(meta.getOrDefault("last", "0")), meta.get("owner"));
	}

	private static String blank(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	@Override
	public void start() {
		running = true;
	}

	/**
	 * Ends the watchers' streams (without {@code done}): their clients resume elsewhere.
	 */
	@Override
	public void stop() {
		running = false;
		stopping.tryEmitEmpty();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 256;
	}

	/** One watcher's place in a run's stream. */
	private final class Watch {

		private final String id;

		private final AtomicLong last;

		/** Since when Redis has failed this watcher (nanoTime), 0 while it answers. */
		private long failingSince;

		/** Since when the run's hash has been missing (nanoTime), 0 while it is there. */
		private long missingSince;

		Watch(String id, long after) {
			this.id = id;
			this.last = new AtomicLong(after);
		}

		Flux<RunEvent> read(boolean tick) {
			return redis.commands()
				.xrange(keys.events(id), Range.create((last.get() + 1) + "-0", "+"), Limit.from(BATCH))
				.map(RedisRuns::event)
				.collectList()
				.flatMapMany((events) -> {
					failingSince = 0;
					if (!events.isEmpty()) {
						last.set(events.get(events.size() - 1).id());
						Flux<RunEvent> batch = Flux.fromIterable(events);
						return (events.size() == BATCH) ? batch.concatWith(Flux.defer(() -> read(false))) : batch;
					}
					return tick ? checkAlive() : Flux.empty();
				})
				.onErrorResume((ex) -> unavailable(ex));
		}

		/** Nothing new: is the run's owner still there? */
		private Flux<RunEvent> checkAlive() {
			return markIfLost(id).flatMapMany((result) -> {
				if (result == 1) {
					return read(false);
				}
				if (result == -1) {
					// Redis lost the run (restarted empty): its owner writes it again
					// within
					// a lease renewal, or it is gone with its owner
					long now = System.nanoTime();
					if (missingSince == 0) {
						missingSince = now;
					}
					else if (now - missingSince > cluster.leaseTtl().toNanos()) {
						return Flux.just(new RunEvent(last.get() + 1, "error", lost().toMap()),
								new RunEvent(last.get() + 2, "done", lostDone()));
					}
					return Flux.empty();
				}
				missingSince = 0;
				return Flux.empty();
			});
		}

		private Flux<RunEvent> unavailable(Throwable ex) {
			long now = System.nanoTime();
			if (failingSince == 0) {
				failingSince = now;
			}
			else if (now - failingSince > cluster.unavailableTimeout().toNanos()) {
				return Flux.error(new IllegalStateException(
						"the cluster's Redis has not answered for " + cluster.unavailableTimeout(), ex));
			}
			return Flux.empty();
		}

	}

	private static Map<String, Object> lostDone() {
		Map<String, Object> done = new LinkedHashMap<>();
		done.put("status", "error");
		done.put("durationMs", null);
		done.put("result", null);
		done.put("usage", null);
		return done;
	}

}
