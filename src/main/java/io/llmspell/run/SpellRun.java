package io.llmspell.run;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import io.llmspell.lua.EventSize;
import io.llmspell.lua.LuaRun;
import io.llmspell.lua.RunLimits;
import io.llmspell.lua.RunOutcome;
import io.llmspell.spell.Spell;

/**
 * A run's state and its events. Events are numbered as they are emitted and kept (within
 * the run's output limits), so any number of clients can watch the run from the start or
 * from after an event they already have.
 */
public final class SpellRun {

	/** Where a run is in its life. */
	public enum State {

		QUEUED, RUNNING, FINISHED

	}

	private final String id;

	private final Spell spell;

	private final Map<String, Object> params;

	private final RunLimits limits;

	private final String provider;

	private final String model;

	private final boolean detached;

	private final Instant createdAt = Instant.now();

	private final Sinks.Many<RunEvent> events = Sinks.many().replay().all();

	private long lastEventId;

	/** About how many bytes its events take; guarded by this. */
	private long eventBytes;

	private volatile State state = State.QUEUED;

	private volatile Instant startedAt;

	private volatile Instant finishedAt;

	private volatile RunOutcome outcome;

	private volatile LuaRun lua;

	private volatile String cancelled;

	SpellRun(String id, Spell spell, Map<String, Object> params, RunLimits limits, String provider, String model,
			boolean detached) {
		this.id = id;
		this.spell = spell;
		this.params = params;
		this.limits = limits;
		this.provider = provider;
		this.model = model;
		this.detached = detached;
	}

	public String id() {
		return id;
	}

	public Spell spell() {
		return spell;
	}

	public Map<String, Object> params() {
		return params;
	}

	public RunLimits limits() {
		return limits;
	}

	public String provider() {
		return provider;
	}

	public String model() {
		return model;
	}

	/** True when the run goes on after its client disconnects. */
	public boolean detached() {
		return detached;
	}

	public State state() {
		return state;
	}

	public Instant createdAt() {
		return createdAt;
	}

	public Instant startedAt() {
		return startedAt;
	}

	public Instant finishedAt() {
		return finishedAt;
	}

	/** How it ended, or null while it has not. */
	public RunOutcome outcome() {
		return outcome;
	}

	/**
	 * The id of the latest event emitted so far (0 before the first); {@code done}'s once
	 * finished.
	 */
	public synchronized long lastEventId() {
		return lastEventId;
	}

	/** Every event from the first, then live ones until {@code done}. */
	public Flux<RunEvent> events() {
		return events.asFlux();
	}

	/**
	 * The events after the one numbered {@code lastEventId}, then live ones until
	 * {@code done}.
	 */
	public Flux<RunEvent> eventsAfter(long lastEventId) {
		return events.asFlux().filter((event) -> event.id() > lastEventId);
	}

	/**
	 * Stops the run (queued or running); it ends with {@code done} status
	 * {@code cancelled}.
	 */
	public void cancel(String reason) {
		if (cancelled == null) {
			cancelled = reason;
		}
		LuaRun running = lua;
		if (running != null) {
			running.cancel(reason);
		}
	}

	/**
	 * About how many bytes the run holds (see {@link LuaRun#heldBytes()}); 0 unless it is
	 * running.
	 */
	public long heldBytes() {
		LuaRun running = lua;
		return (running != null) ? running.heldBytes() : 0;
	}

	/**
	 * Asks a running run to measure what it holds; returns when it last did, or -1 when
	 * it is not running.
	 */
	long requestMeasurement() {
		LuaRun running = lua;
		return (running != null) ? running.requestMeasurement() : -1;
	}

	/** What a running run held when it last measured, or 0 when it is not running. */
	long measuredHeldBytes() {
		LuaRun running = lua;
		return (running != null) ? running.measuredHeldBytes() : 0;
	}

	/** When a running run last measured what it holds, or -1 when it is not running. */
	long measuredAtNanos() {
		LuaRun running = lua;
		return (running != null) ? running.measuredAtNanos() : -1;
	}

	/**
	 * About how many bytes its events take in memory (what keeping it costs once
	 * finished).
	 */
	public synchronized long eventBytes() {
		return eventBytes;
	}

	/** Stops a running run for the sake of the whole service's memory. */
	void stopForMemory(String reason) {
		LuaRun running = lua;
		if (running != null) {
			running.stopForMemory(reason);
		}
	}

	/**
	 * Async operations pending on the run's event loop now; 0 while it is queued or once
	 * it ended.
	 */
	public int pendingAsync() {
		LuaRun running = lua;
		return (running != null) ? running.pendingCount() : 0;
	}

	/** Why it was cancelled, or null. */
	public String cancelReason() {
		return cancelled;
	}

	synchronized void emit(String event, Map<String, Object> data) {
		if (state == State.FINISHED) {
			return;
		}
		eventBytes += 64 + event.length() + EventSize.of(data);
		events.tryEmitNext(new RunEvent(++lastEventId, event, data));
	}

	void started(LuaRun lua) {
		this.lua = lua;
		this.startedAt = Instant.now();
		this.state = State.RUNNING;
		if (cancelled != null) {
			lua.cancel(cancelled);
		}
	}

	synchronized void finished(RunOutcome outcome) {
		if (outcome.error() != null) {
			emit("error", outcome.error().toMap());
		}
		Map<String, Object> done = new LinkedHashMap<>();
		done.put("status", outcome.status());
		done.put("durationMs", outcome.durationMs());
		done.put("result", outcome.result());
		done.put("usage", outcome.usage());
		emit("done", done);
		this.outcome = outcome;
		this.finishedAt = Instant.now();
		this.lua = null;
		this.state = State.FINISHED;
		events.tryEmitComplete();
	}

}
