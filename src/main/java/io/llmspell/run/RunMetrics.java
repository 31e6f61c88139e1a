package io.llmspell.run;

import java.time.Duration;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The runs' meters, on {@code /actuator/prometheus}. Everything per run is derived from
 * the events the run emits, so what is counted is exactly what clients saw:
 * <ul>
 * <li>{@code llmspell.runs} timer (spell, status): admission to {@code done}, queueing
 * included</li>
 * <li>{@code llmspell.runs.active}, {@code llmspell.runs.queued} gauges</li>
 * <li>{@code llmspell.eventloop.pending} gauge: async operations pending, summed over
 * running runs</li>
 * <li>{@code llmspell.callbacks} counter (spell, ok): callbacks dispatched</li>
 * <li>{@code llmspell.events} counter (event): events emitted, by type</li>
 * <li>{@code llmspell.limits.hits} counter (limit): runs stopped by a limit, by the
 * limit's name</li>
 * </ul>
 * Spell names as tags stay few: only spells in the catalog can run.
 */
@Component
public class RunMetrics {

	private final MeterRegistry registry;

	/**
	 * Looked up once per event type, not once per event: a registry lookup builds an id
	 * and applies filters.
	 */
	private final java.util.concurrent.ConcurrentMap<String, Counter> eventCounters = new java.util.concurrent.ConcurrentHashMap<>();

	public RunMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Registers the gauges that read the service's state. */
	void bindGauges(IntSupplier active, IntSupplier queued, IntSupplier starting, IntSupplier pending) {
		Gauge.builder("llmspell.runs.active", active::getAsInt)
			.description("Spell runs executing now")
			.register(registry);
		Gauge.builder("llmspell.runs.queued", queued::getAsInt)
			.description("Spell runs admitted and waiting for a max-concurrent-runs slot")
			.register(registry);
		Gauge.builder("llmspell.runs.starting", starting::getAsInt)
			.description("Spell runs admitted whose thread has not begun: waiting for a CPU when slots are free")
			.register(registry);
		Gauge.builder("llmspell.eventloop.pending", pending::getAsInt)
			.description("Async operations (LLM calls, timers, promise reactions) pending, summed over running runs")
			.register(registry);
	}

	/** Registers the gauge of what the finished runs kept take. */
	void bindRetainedBytes(java.util.function.LongSupplier bytes) {
		Gauge.builder("llmspell.runs.retained.bytes", bytes::getAsLong)
			.description("Bytes (estimated) the events of the finished runs kept for reattaching take in memory")
			.baseUnit("bytes")
			.register(registry);
	}

	/** Meters a new run from its first event to its {@code done}. */
	void track(SpellRun run) {
		long admitted = System.nanoTime();
		String spell = run.spell().name();
		run.events().subscribe((event) -> {
			eventCounters
				.computeIfAbsent(event.event(),
						(name) -> Counter.builder("llmspell.events").tag("event", name).register(registry))
				.increment();
			switch (event.event()) {
				case "callback" -> Counter.builder("llmspell.callbacks")
					.description("Async callbacks dispatched")
					.tag("spell", spell)
					.tag("ok", String.valueOf(Boolean.TRUE.equals(event.data().get("ok"))))
					.register(registry)
					.increment();
				case "error" -> {
					if ("limit".equals(event.data().get("kind")) && event.data().get("limit") != null) {
						Counter.builder("llmspell.limits.hits")
							.description("Runs stopped by a limit")
							.tag("limit", String.valueOf(event.data().get("limit")))
							.register(registry)
							.increment();
					}
				}
				case "done" -> Timer.builder("llmspell.runs")
					.description("Spell runs, from admission to done")
					.tag("spell", spell)
					.tag("status", String.valueOf(event.data().get("status")))
					.register(registry)
					.record(Duration.ofNanos(System.nanoTime() - admitted));
				default -> {
				}
			}
		});
	}

}
