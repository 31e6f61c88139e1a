package io.llmspell.run;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The runs this instance knows, by id: running ones, and finished ones within retention
 * ({@code llmspell.runs.*}). All of it lives in this instance's memory.
 * <p>
 * Eviction is cheap: finished runs queue up oldest first, so a pass only looks at the
 * head of the queue. A pass runs when a run registers or finishes, and on a schedule for
 * quiet times; {@link #find} also hides an expired run that no pass has dropped yet.
 * Running runs are never in the queue, so they are never evicted.
 */
@Component
public class RunRegistry implements InitializingBean, DisposableBean {

	private final ConcurrentHashMap<String, Entry> runs = new ConcurrentHashMap<>();

	/** Finished runs, oldest first; guarded by {@code this}. */
	private final ArrayDeque<Entry> retired = new ArrayDeque<>();

	/** What the events of the finished runs kept take; guarded by {@code this}. */
	private long retainedBytes;

	private final RunsProperties properties;

	private final Clock clock;

	private volatile Disposable sweep;

	private volatile java.util.List<RunListener> listeners = java.util.List.of();

	@Autowired
	public RunRegistry(RunsProperties properties) {
		this(properties, Clock.systemUTC());
	}

	RunRegistry(RunsProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	void register(SpellRun run) {
		runs.put(run.id(), new Entry(run));
		listeners.forEach((listener) -> listener.registered(run));
		evict();
	}

	/** Who is told of each new run (the cluster's mirror, when there is one). */
	@Autowired(required = false)
	void setListeners(java.util.List<RunListener> listeners) {
		this.listeners = java.util.List.copyOf(listeners);
	}

	/** The runs that have not finished yet (queued or running). */
	public java.util.List<SpellRun> active() {
		return runs.values()
			.stream()
			.map((entry) -> entry.run)
			.filter((run) -> run.state() != SpellRun.State.FINISHED)
			.toList();
	}

	/** The run with this id, unless it is unknown or finished and past retention. */
	public Optional<SpellRun> find(String id) {
		Entry entry = runs.get(id);
		if (entry == null) {
			return Optional.empty();
		}
		if (entry.expiredAt(clock.instant())) {
			evict();
			return Optional.empty();
		}
		return Optional.of(entry.run);
	}

	/** The run with this id. @throws UnknownRunException when {@link #find} has none */
	public SpellRun get(String id) {
		return find(id).orElseThrow(() -> new UnknownRunException(id));
	}

	/** How many finished runs are retained now. */
	public synchronized int retainedCount() {
		return retired.size();
	}

	/** About how many bytes the events of the retained finished runs take. */
	public synchronized long retainedBytes() {
		return retainedBytes;
	}

	void finished(SpellRun run) {
		Entry entry = runs.get(run.id());
		if (entry == null) {
			return;
		}
		synchronized (this) {
			if (entry.retiredAt == null) {
				entry.retiredAt = clock.instant();
				entry.bytes = run.eventBytes();
				retainedBytes += entry.bytes;
				retired.addLast(entry);
			}
		}
		evict();
	}

	/**
	 * Drops finished runs past the count or the bytes, then those past the time; stops at
	 * the first one to keep.
	 */
	synchronized void evict() {
		long maxBytes = properties.maxRetainedBytes().toBytes();
		while (retired.size() > properties.maxRetained() || !retired.isEmpty() && retainedBytes > maxBytes) {
			drop(retired.pollFirst());
		}
		Instant now = clock.instant();
		while (!retired.isEmpty() && retired.peekFirst().expiredAt(now)) {
			drop(retired.pollFirst());
		}
	}

	private void drop(Entry entry) {
		retainedBytes -= entry.bytes;
		runs.remove(entry.run.id(), entry);
	}

	@Override
	public void afterPropertiesSet() {
		long every = properties.sweepInterval().toMillis();
		// a quiet instance gets no register()/finished() calls, and expired runs must
		// still go
		sweep = Schedulers.parallel().schedulePeriodically(this::evict, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		Disposable scheduled = sweep;
		if (scheduled != null) {
			scheduled.dispose();
		}
	}

	private final class Entry {

		final SpellRun run;

		/** When it finished, by the registry's clock; null while it runs. */
		volatile Instant retiredAt;

		/** What its events take, once finished. */
		long bytes;

		Entry(SpellRun run) {
			this.run = run;
		}

		boolean expiredAt(Instant now) {
			Instant at = retiredAt;
			return at != null && !now.isBefore(at.plus(properties.retentionTime()));
		}

	}

}
