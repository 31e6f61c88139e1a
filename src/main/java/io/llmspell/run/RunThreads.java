package io.llmspell.run;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads spell runs execute on: one virtual thread per run on Java 21+, where a run
 * waiting on LLMs costs almost nothing; platform threads on Java 17, where the service
 * still works.
 */
final class RunThreads {

	private static final Logger log = LoggerFactory.getLogger(RunThreads.class);

	/** How long an idle platform run thread is kept for the next run. */
	private static final long IDLE_SECONDS = 5;

	private RunThreads() {
	}

	static ExecutorService create() {
		try {
			Method factory = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "spell-run-", 1L);
			ThreadFactory threads = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
			log.info("Spell runs use virtual threads");
			return (ExecutorService) factory.invoke(null, threads);
		}
		catch (ReflectiveOperationException ex) {
			log.info("Spell runs use platform threads (virtual threads need Java 21+)");
			AtomicLong count = new AtomicLong();
			// a cached pool whose idle threads end after a few seconds (not a minute):
			// the
			// service's thread count returns to its idle level soon after a burst of runs
			return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
					new SynchronousQueue<>(), (task) -> {
						Thread thread = new Thread(task, "spell-run-" + count.incrementAndGet());
						thread.setDaemon(true);
						return thread;
					});
		}
	}

}
