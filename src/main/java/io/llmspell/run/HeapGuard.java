package io.llmspell.run;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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
 * (a share of its maximum) right after a full collection, the run that has allocated the
 * most is stopped with limit {@code max-memory}, one run per notification, until the
 * pressure is gone.
 */
@Component
public class HeapGuard implements InitializingBean, DisposableBean, NotificationListener {

	private static final Logger log = LoggerFactory.getLogger(HeapGuard.class);

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
	 * Stops the run that has allocated the most; returns it, if there was one running.
	 */
	public Optional<SpellRun> relieve() {
		Optional<SpellRun> largest = registry.active()
			.stream()
			.filter((run) -> run.state() == SpellRun.State.RUNNING)
			.max(Comparator.comparingLong(SpellRun::allocatedBytes));
		largest.ifPresent((run) -> {
			log.warn("Heap above {}% after a collection: stopping run {} of '{}', which allocated {} MB",
					Math.round(threshold * 100), run.id(), run.spell().name(), run.allocatedBytes() >> 20);
			run.stopForMemory("the service is short of memory and this run had allocated the most ("
					+ (run.allocatedBytes() >> 20) + " MB)");
		});
		return largest;
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
