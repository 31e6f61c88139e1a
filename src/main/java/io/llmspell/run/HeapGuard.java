package io.llmspell.run;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * The last line of defence for the heap. Each run has its own allocation budget, but many
 * runs at once could still fill the heap together, and an OutOfMemoryError would hit
 * every bystander. So when the heap is still over {@code llmspell.limits.heap-threshold}
 * (a share of its maximum) right after a full collection, the run that holds the most is
 * stopped with limit {@code max-memory}, one run per notification, until the pressure is
 * gone. "Holds" is each run's own estimate ({@link SpellRun#heldBytes()}), refreshed
 * first: every running run is asked to measure, and the guard waits a moment for those
 * executing Lua to answer (a run blocked in a wait keeps its last figure).
 */
@Component
public class HeapGuard implements InitializingBean, DisposableBean, NotificationListener {

	private static final Logger log = LoggerFactory.getLogger(HeapGuard.class);

	private static final Duration MEASURE_WAIT = Duration.ofMillis(500);

	private final RunRegistry registry;

	private final double threshold;

	private final List<MemoryPoolMXBean> pools;

	public HeapGuard(RunRegistry registry, LimitsProperties limits) {
		this.registry = registry;
		this.threshold = limits.heapThreshold();
		this.pools = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
					&& pool.getUsage().getMax() > 0)
			.toList();
	}

	@Override
	public void afterPropertiesSet() {
		for (MemoryPoolMXBean pool : pools) {
			pool.setCollectionUsageThreshold((long) (pool.getUsage().getMax() * threshold));
		}
		((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(this, null, null);
	}

	@Override
	public void handleNotification(Notification notification, Object handback) {
		if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
			relieve();
		}
	}

	/**
	 * Stops the run that holds the most; returns it, if there was one running.
	 */
	public Optional<SpellRun> relieve() {
		List<SpellRun> running = registry.active()
			.stream()
			.filter((run) -> run.state() == SpellRun.State.RUNNING)
			.toList();
		Map<SpellRun, Long> holds = refresh(running);
		Optional<SpellRun> largest = running.stream()
			.filter((run) -> run.state() == SpellRun.State.RUNNING)
			.max(Comparator.comparingLong(holds::get));
		largest.ifPresent((run) -> {
			long held = holds.get(run) >> 20;
			log.warn("Heap above {}% after a collection: stopping run {} of '{}', which holds about {} MB",
					Math.round(threshold * 100), run.id(), run.spell().name(), held);
			run.stopForMemory("the service is short of memory and this run held the most (about " + held + " MB)");
		});
		return largest;
	}

	/**
	 * Asks each run to measure what it holds, waits up to half a second for them, and
	 * returns what each holds: what it measured if it did, else its estimate (which
	 * counts what it allocated since its last measurement too).
	 */
	private static Map<SpellRun, Long> refresh(List<SpellRun> runs) {
		Map<SpellRun, Long> asked = new HashMap<>();
		for (SpellRun run : runs) {
			asked.put(run, run.requestMeasurement());
		}
		long deadline = System.nanoTime() + MEASURE_WAIT.toNanos();
		while (System.nanoTime() - deadline < 0 && !asked.keySet().stream().allMatch((run) -> fresh(run, asked))) {
			LockSupport.parkNanos(5_000_000);
		}
		Map<SpellRun, Long> holds = new HashMap<>();
		for (SpellRun run : runs) {
			holds.put(run, fresh(run, asked) ? run.measuredHeldBytes() : run.heldBytes());
		}
		return holds;
	}

	private static boolean fresh(SpellRun run, Map<SpellRun, Long> asked) {
		long measuredAt = run.measuredAtNanos();
		return measuredAt == -1 || measuredAt != asked.get(run);
	}

	@Override
	public void destroy() {
		try {
			((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(this);
		}
		catch (ListenerNotFoundException ex) {
			// never added
		}
	}

}
