package io.llmspell.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

import io.llmspell.run.LimitsProperties;
import io.llmspell.run.RunEvent;
import io.llmspell.run.RunListener;
import io.llmspell.run.RunsProperties;
import io.llmspell.run.SpellRun;

/**
 * Writes every run of this instance to Redis as it goes: its hash, then each event in
 * order, so that the other instances serve it. Also keeps the runs' leases (one timer for
 * all) and cancels a run when another instance asks on the cancel channel.
 * <p>
 * A write that fails is tried again (Redis restarting): the run goes on meanwhile, its
 * events wait in its own replay buffer. When Redis comes back without its data, the run's
 * hash and events so far are written again. On shutdown it stops after {@code RunDrain},
 * once the last events of the runs that ended are written.
 */
final class RunMirror implements RunListener, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RunMirror.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The longest a stopping instance waits for its last events to reach Redis. */
	static final Duration FLUSH_WAIT = Duration.ofSeconds(10);

	private final ClusterRedis redis;

	private final RunKeys keys;

	private final ClusterProperties cluster;

	private final String owner;

	private final long retentionSeconds;

	private final long activeTtlSeconds;

	private final String maxLength;

	private final Map<String, Mirrored> mirrored = new ConcurrentHashMap<>();

	private volatile Disposable renewals;

	private volatile Disposable cancels;

	private volatile boolean running;

	RunMirror(ClusterRedis redis, ClusterProperties cluster, String owner, RunsProperties runs,
			LimitsProperties limits) {
		this.redis = redis;
		this.keys = new RunKeys(redis);
		this.cluster = cluster;
		this.owner = owner;
		this.retentionSeconds = Math.max(1, runs.retentionTime().toSeconds());
		// a dead owner's run outlives its lease by the retention time, for its watchers
		// to learn it was lost
		this.activeTtlSeconds = retentionSeconds + Math.max(1, cluster.leaseTtl().toSeconds()) * 2;
		// the run's own output limit, plus its error and done events
		this.maxLength = String.valueOf(limits.maxOutputEvents() + 16L);
	}

	@Override
	public void registered(SpellRun run) {
		Mirrored entry = new Mirrored(run);
		mirrored.put(run.id(), entry);
		Flux<Op> ops = Flux.merge(run.events().map(Op::new), entry.resyncs.asFlux());
		entry.writes = writeMeta(entry).thenMany(ops.concatMap((op) -> apply(entry, op), 1))
			.takeUntil((done) -> done)
			.doFinally((signal) -> mirrored.remove(run.id(), entry))
			.subscribe(null, (ex) -> log.warn("Run {}: its events stopped reaching Redis", run.id(), ex));
	}

	/** Runs whose events are not all in Redis yet. */
	int unwritten() {
		return mirrored.size();
	}

	private Mono<Boolean> apply(Mirrored entry, Op op) {
		if (op.event == null) {
			return resync(entry).thenReturn(false);
		}
		return write(entry, op.event).thenReturn(op.event.isDone());
	}

	private Mono<Void> write(Mirrored entry, RunEvent event) {
		SpellRun run = entry.run;
		String done = event.isDone() ? "1" : "0";
		String status = event.isDone() ? String.valueOf(event.data().get("status")) : "";
		String[] keyList = { keys.events(run.id()), keys.meta(run.id()), keys.lease(run.id()) };
		Mono<Long> once = redis
			.<Long>eval(RunScripts.WRITE, ScriptOutputType.INTEGER, keyList, String.valueOf(event.id()), event.event(),
					json(event.data()), maxLength, String.valueOf(activeTtlSeconds), keys.eventsChannel(run.id()), done,
					String.valueOf(retentionSeconds), Instant.now().toString(), status, text(run.cancelReason()))
			.next();
		return once.flatMap((result) -> (result == -1) ? resync(entry).then(once) : Mono.just(result))
			.doOnNext((result) -> entry.written.set(event.id()))
			.retryWhen(retry(run))
			.then();
	}

	/** Writes the hash again, then the events written so far: Redis lost them. */
	private Mono<Void> resync(Mirrored entry) {
		long upTo = entry.written.get();
		log.info("Run {}: writing it to Redis again ({} events)", entry.run.id(), upTo);
		return writeMeta(entry)
			.thenMany(entry.run.events().takeWhile((event) -> event.id() <= upTo).concatMap((event) -> {
				String[] keyList = { keys.events(entry.run.id()), keys.meta(entry.run.id()),
						keys.lease(entry.run.id()) };
				return redis.<Long>eval(RunScripts.WRITE, ScriptOutputType.INTEGER, keyList, String.valueOf(event.id()),
						event.event(), json(event.data()), maxLength, String.valueOf(activeTtlSeconds),
						keys.eventsChannel(entry.run.id()), event.isDone() ? "1" : "0",
						String.valueOf(retentionSeconds), Instant.now().toString(),
						event.isDone() ? String.valueOf(event.data().get("status")) : "",
						text(entry.run.cancelReason()));
			}, 1))
			.then();
	}

	private Mono<Void> writeMeta(Mirrored entry) {
		SpellRun run = entry.run;
		List<String> args = new ArrayList<>();
		args.add(String.valueOf(activeTtlSeconds));
		args.add(String.valueOf(cluster.leaseTtl().toMillis()));
		args.add(owner);
		field(args, "id", run.id());
		field(args, "spell", run.spell().name());
		field(args, "version", run.spell().version());
		field(args, "params", json(run.params()));
		field(args, "provider", run.provider());
		field(args, "model", run.model());
		field(args, "detached", String.valueOf(run.detached()));
		field(args, "state", state(run));
		field(args, "createdAt", text(run.createdAt()));
		field(args, "startedAt", text(run.startedAt()));
		field(args, "cancelReason", text(run.cancelReason()));
		field(args, "owner", owner);
		String[] keyList = { keys.meta(run.id()), keys.lease(run.id()) };
		return redis.<Long>eval(RunScripts.META, ScriptOutputType.INTEGER, keyList, args.toArray(String[]::new))
			.retryWhen(retry(run))
			.then();
	}

	/**
	 * Again and again, with backoff: a run's events must not be lost to a Redis restart.
	 */
	private Retry retry(SpellRun run) {
		return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
			.maxBackoff(Duration.ofSeconds(2))
			.doBeforeRetry((signal) -> {
				if (signal.totalRetries() == 0) {
					log.warn("Run {}: writing to Redis failed, trying again: {}", run.id(),
							signal.failure().toString());
				}
			});
	}

	/**
	 * Renews the leases of this instance's runs, and their state (queued, running): of
	 * every run whose {@code done} is not in Redis yet, so that a run that ended here but
	 * whose last events are still on their way is not taken for lost.
	 */
	private void renew() {
		for (Mirrored entry : mirrored.values()) {
			SpellRun run = entry.run;
			// "finished" comes with the done event, not before
			String state = (run.state() == SpellRun.State.FINISHED) ? "running" : state(run);
			String[] keyList = { keys.meta(run.id()), keys.lease(run.id()), keys.events(run.id()) };
			redis
				.<Long>eval(RunScripts.RENEW, ScriptOutputType.INTEGER, keyList, owner,
						String.valueOf(cluster.leaseTtl().toMillis()), String.valueOf(activeTtlSeconds), state,
						text(run.startedAt()), text(run.cancelReason()))
				.next()
				.subscribe((result) -> {
					if (result == 0 && entry.written.get() > 0) {
						entry.resyncs.tryEmitNext(new Op(null));
					}
				}, (ex) -> log.debug("Run {}: lease renewal failed: {}", run.id(), ex.toString()));
		}
	}

	private void cancelRequested(String message) {
		try {
			Map<?, ?> request = JSON.readValue(message, Map.class);
			Mirrored entry = mirrored.get(String.valueOf(request.get("runId")));
			if (entry != null) {
				log.info("Run {}: cancelled from another instance", entry.run.id());
				entry.run.cancel(String.valueOf(request.get("reason")));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Ignoring a malformed cancel request: {}", message);
		}
	}

	@Override
	public void start() {
		Duration every = cluster.leaseTtl().dividedBy(3);
		renewals = Flux.interval(every, every).subscribe((tick) -> renew());
		cancels = redis.listen(keys.cancelChannel())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2)))
			.subscribe(this::cancelRequested);
		running = true;
	}

	/**
	 * After {@code RunDrain} ended this instance's runs: waits for their last events to
	 * reach Redis (at most {@link #FLUSH_WAIT}), so the other instances serve them.
	 */
	@Override
	public void stop() {
		running = false;
		long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
		while (mirrored.values().stream().anyMatch((entry) -> entry.run.state() == SpellRun.State.FINISHED)
				&& System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		dispose(cancels);
		dispose(renewals);
		if (!mirrored.isEmpty()) {
			log.warn("Shutting down: {} run(s) not fully written to Redis; their watchers will see them lost",
					mirrored.size());
			mirrored.values().forEach((entry) -> dispose(entry.writes));
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops after RunDrain (which ends the runs) and before the web server. */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 256;
	}

	private static void dispose(Disposable disposable) {
		if (disposable != null) {
			disposable.dispose();
		}
	}

	private static void field(List<String> args, String name, String value) {
		args.add(name);
		args.add(value);
	}

	static String state(SpellRun run) {
		return run.state().name().toLowerCase(Locale.ROOT);
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : "";
	}

	static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	/** A run being written, and what is written of it. */
	private static final class Mirrored {

		final SpellRun run;

		final AtomicLong written = new AtomicLong();

		final Sinks.Many<Op> resyncs = Sinks.many().unicast().onBackpressureBuffer();

		volatile Disposable writes;

		Mirrored(SpellRun run) {
			this.run = run;
		}

	}

	/** An event to write, or (null) a request to write everything again. */
	private record Op(RunEvent event) {

	}

}
