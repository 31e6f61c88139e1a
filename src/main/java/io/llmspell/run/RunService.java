package io.llmspell.run;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.LlmProviders;
import io.llmspell.lua.CoroutineThreads;
import io.llmspell.lua.LuaRun;
import io.llmspell.lua.ModuleBackends;
import io.llmspell.lua.RunError;
import io.llmspell.lua.InvalidLimitException;
import io.llmspell.lua.RunLimits;
import io.llmspell.lua.RunOutcome;
import io.llmspell.spell.Spell;

/**
 * Starts spell runs: admission (a bound on running and queued runs), the run's limits and
 * provider, its thread, and its events from {@code start} to {@code done}. When the
 * service shuts down, {@link RunDrain} makes it refuse new runs and cancels those still
 * going.
 */
@Service
public class RunService implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RunService.class);

	private final LimitsProperties limits;

	private final LlmProviders providers;

	private final RunRegistry registry;

	private final ExecutorService threads = RunThreads.create();

	private final CoroutineThreads coroutineThreads;

	private final Semaphore slots;

	private final AtomicInteger admitted = new AtomicInteger();

	private final AtomicInteger running = new AtomicInteger();

	/** Runs whose thread waits for a max-concurrent-runs slot. */
	private final AtomicInteger waiting = new AtomicInteger();

	/** Admitted runs that have not ended: what a shutdown waits for, then cancels. */
	private final Set<SpellRun> live = ConcurrentHashMap.newKeySet();

	private final RunMetrics metrics;

	private final RunTelemetry telemetry;

	// Guarded by this: admission and the switch to refusing are one step, so no run slips
	// past a drain.
	private boolean accepting = true;

	// Notified whenever a run ends, for awaitIdle.
	private final Object runEnded = new Object();

	private final ModuleBackends backends;

	public RunService(LimitsProperties limits, LlmProviders providers, RunRegistry registry, RunMetrics metrics,
			ModuleBackends backends, RunTelemetry telemetry) {
		this.backends = backends;
		this.telemetry = telemetry;
		this.limits = limits;
		this.coroutineThreads = limits.coroutineThreads();
		this.providers = providers;
		this.registry = registry;
		this.metrics = metrics;
		this.slots = new Semaphore(limits.maxConcurrentRuns(), true);
		metrics.bindGauges(this::runningCount, this::queuedCount, this::startingCount, this::pendingAsync);
		metrics.bindRetainedBytes(registry::retainedBytes);
	}

	/**
	 * Admits and starts a run; its {@code start} event is already emitted when this
	 * returns.
	 * @throws RunRejectedException when the server is at its run limit (429) or shutting
	 * down (503)
	 * @throws InvalidOptionException when the options name an unknown provider or a bad
	 * limit
	 */
	public SpellRun start(Spell spell, Map<String, Object> params, RunOptions options) {
		RunLimits runLimits = limitsFor(spell, options);
		LlmProvider provider = (options.provider() != null)
				? providers.find(options.provider())
					.orElseThrow(() -> new InvalidOptionException("provider",
							"unknown provider '" + options.provider() + "'; configured: " + providers.names()))
				: providers.defaultProvider();
		String model = (options.model() != null) ? options.model() : provider.defaultModel();
		SpellRun run = admit(spell, params, runLimits, provider.name(), model, options.detach());
		registry.register(run);
		Map<String, Object> start = new LinkedHashMap<>();
		start.put("runId", run.id());
		start.put("spell", spell.name());
		start.put("version", spell.version());
		start.put("params", params);
		start.put("provider", provider.name());
		start.put("model", model);
		run.emit("start", start);
		try {
			threads.execute(() -> execute(run, provider));
		}
		catch (RuntimeException ex) {
			run.finished(RunOutcome.failed("cancelled",
					new RunError("cancelled", "the server is shutting down", null, null, null)));
			ended(run);
			throw new RunRejectedException("the server is shutting down", Duration.ofSeconds(5), true);
		}
		return run;
	}

	private synchronized SpellRun admit(Spell spell, Map<String, Object> params, RunLimits runLimits, String provider,
			String model, boolean detach) {
		if (!accepting) {
			throw new RunRejectedException("the server is shutting down", Duration.ofSeconds(5), true);
		}
		if (admitted.incrementAndGet() > limits.maxConcurrentRuns() + limits.maxQueuedRuns()) {
			admitted.decrementAndGet();
			throw new RunRejectedException("the server is at its limit of " + limits.maxConcurrentRuns()
					+ " running and " + limits.maxQueuedRuns() + " queued runs", Duration.ofSeconds(1), false);
		}
		SpellRun run = new SpellRun(UUID.randomUUID().toString(), spell, params, runLimits, provider, model, detach);
		live.add(run);
		metrics.track(run);
		telemetry.track(run);
		return run;
	}

	/** Runs executing now (not counting queued ones). */
	public int runningCount() {
		return running.get();
	}

	/** Runs admitted and waiting for a slot. */
	public int queuedCount() {
		return waiting.get();
	}

	/**
	 * Runs admitted whose thread has not begun yet: with slots free, this is the time a
	 * run waits for a CPU to start on, so it grows when the service is CPU-bound.
	 */
	public int startingCount() {
		return Math.max(0, admitted.get() - running.get() - waiting.get());
	}

	/** Async operations pending on the event loops of the running runs. */
	int pendingAsync() {
		int pending = 0;
		for (SpellRun run : live) {
			pending += run.pendingAsync();
		}
		return pending;
	}

	/**
	 * Takes new runs again: the context was stopped and started (Spring pauses idle
	 * contexts so).
	 */
	public synchronized void acceptNewRuns() {
		accepting = true;
	}

	/** From now on every new run is refused with 503 (the service is shutting down). */
	public synchronized void refuseNewRuns() {
		accepting = false;
	}

	/** Runs admitted and not yet ended, queued ones included. */
	public int unfinishedCount() {
		return live.size();
	}

	/**
	 * Cancels every run admitted and not yet ended; each ends with {@code done} status
	 * {@code cancelled}.
	 */
	public int cancelAll(String reason) {
		List<SpellRun> runs = List.copyOf(live);
		runs.forEach((run) -> run.cancel(reason));
		return runs.size();
	}

	/**
	 * Waits until no admitted run is left, at most {@code timeout}; true when none is.
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (runEnded) {
			while (!live.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(runEnded, left);
			}
			return true;
		}
	}

	private void ended(SpellRun run) {
		admitted.decrementAndGet();
		live.remove(run);
		synchronized (runEnded) {
			runEnded.notifyAll();
		}
	}

	private void execute(SpellRun run, LlmProvider provider) {
		MDC.put("runId", run.id());
		Observation.Scope span = telemetry.openScope(run);
		boolean acquired = false;
		try {
			waiting.incrementAndGet();
			try {
				acquired = acquire(run);
			}
			finally {
				waiting.decrementAndGet();
			}
			if (!acquired) {
				run.finished(RunOutcome.failed("cancelled",
						new RunError("cancelled", run.cancelReason(), null, null, null)));
				return;
			}
			running.incrementAndGet();
			LuaRun lua = new LuaRun(run.spell(), run.params(), run.id(), run.limits(), providers, provider, run.model(),
					run::emit, coroutineThreads, backends);
			run.started(lua);
			RunOutcome outcome = lua.execute();
			if ("cancelled".equals(outcome.status()) && run.cancelReason() != null) {
				// say why, in the client's words ("client disconnected", "cancelled by
				// DELETE")
				outcome = new RunOutcome(outcome.status(), null,
						new RunError("cancelled", run.cancelReason(), null, null, null), outcome.usage(),
						outcome.durationMs());
			}
			run.finished(outcome);
			log.debug("Run of '{}' ended {} in {} ms", run.spell().name(), outcome.status(), outcome.durationMs());
		}
		catch (RuntimeException | Error ex) {
			log.error("Run of '{}' failed outside the Lua runtime", run.spell().name(), ex);
			run.finished(RunOutcome.failed("error", new RunError("internal", "internal error", null, null, null)));
		}
		finally {
			if (acquired) {
				running.decrementAndGet();
				slots.release();
			}
			ended(run);
			registry.finished(run);
			span.close();
			MDC.remove("runId");
		}
	}

	/** Waits for a slot; a run cancelled while it waits never starts. */
	private boolean acquire(SpellRun run) {
		try {
			while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
				if (run.cancelReason() != null) {
					return false;
				}
			}
			if (run.cancelReason() != null) {
				slots.release();
				return false;
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private RunLimits limitsFor(Spell spell, RunOptions options) {
		RunLimits ceiling = limits.runLimits();
		RunLimits spellLimits;
		try {
			spellLimits = ceiling.lowerWith(spell.limits());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("spell '" + spell.name() + "' declares a bad limit: " + ex.getMessage(),
					ex);
		}
		try {
			return spellLimits.lowerWith(options.limits());
		}
		catch (InvalidLimitException ex) {
			throw new InvalidOptionException(ex.limit(), ex.reason());
		}
	}

	@Override
	public void destroy() {
		threads.shutdownNow();
	}

}
