package io.llmspell.lua;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads the service's coroutines run on, and the service-wide bound on how many are
 * alive at once. A LuaJ coroutine needs a Java thread of its own (its Lua stack is that
 * thread's stack); on Java 21+ it is a virtual thread, which costs a little heap and no
 * platform thread, on Java 17 a platform thread.
 * <p>
 * A coroutine holds its thread from its first resume until it returns, fails, or its run
 * ends. Past {@link #max()} live coroutine threads, or when the JVM cannot start one
 * ({@code unable to create native thread}), the run that asked ends with the limit
 * {@link #LIMIT}.
 */
public final class CoroutineThreads {

	/** The limit a run that cannot get a coroutine thread ends with. */
	public static final String LIMIT = "max-coroutine-threads";

	/** The bound when none is configured and coroutines run on platform threads. */
	public static final int DEFAULT_PLATFORM_MAX = 2048;

	private static final ThreadFactory VIRTUAL = virtualFactory("coroutine-");

	private static final CoroutineThreads SHARED = new CoroutineThreads(0, Integer.MAX_VALUE);

	private final int max;

	private final ThreadFactory factory;

	private final AtomicInteger live = new AtomicInteger();

	/**
	 * @param configured the bound on live coroutine threads; 0 or less for the default:
	 * {@code virtualDefault} on virtual threads, {@link #DEFAULT_PLATFORM_MAX} on
	 * platform threads
	 * @param virtualDefault the default bound where coroutines run on virtual threads
	 */
	public CoroutineThreads(int configured, int virtualDefault) {
		this(configured, virtualDefault, (VIRTUAL != null) ? VIRTUAL : platformFactory());
	}

	CoroutineThreads(int configured, int virtualDefault, ThreadFactory factory) {
		this.factory = factory;
		int fallback = (factory == VIRTUAL) ? virtualDefault : DEFAULT_PLATFORM_MAX;
		this.max = (configured > 0) ? configured : Math.max(1, fallback);
	}

	/** The one a run uses when it is given none (tests, the CLI). */
	static CoroutineThreads shared() {
		return SHARED;
	}

	/** True when coroutines run on virtual threads (Java 21+). */
	public static boolean virtual() {
		return VIRTUAL != null;
	}

	public int max() {
		return max;
	}

	/** Coroutine threads alive now. */
	public int live() {
		return live.get();
	}

	/**
	 * Starts {@code body} on a thread of its own, counted until the body calls
	 * {@link #ended} (its last act, so that a run that waits for its coroutines to end
	 * finds them uncounted).
	 * @throws RunAbort past the bound, or when the JVM cannot start a thread (the guard
	 * is aborted with it)
	 */
	void start(Runnable body, RunGuard guard) {
		if (live.incrementAndGet() > max) {
			live.decrementAndGet();
			throw refuse(guard, "the service has " + max + " coroutine threads alive (its limit)");
		}
		try {
			Thread thread = factory.newThread(body);
			thread.start();
		}
		catch (OutOfMemoryError | RuntimeException ex) {
			// "unable to create native thread" (a pid or memory limit of the host)
			live.decrementAndGet();
			throw refuse(guard, "the service cannot start another thread (" + ex.getMessage() + ")");
		}
	}

	/** A body {@link #start}ed is ending. */
	void ended() {
		live.decrementAndGet();
	}

	private static RunAbort refuse(RunGuard guard, String message) {
		guard.abort(RunAbort.limit(LIMIT, message));
		return guard.aborted();
	}

	/**
	 * A factory of virtual threads named {@code prefix1, prefix2, ...}, reached by
	 * reflection (the source level is Java 17); null before Java 21.
	 */
	static ThreadFactory virtualFactory(String prefix) {
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
			Method factory = builderType.getMethod("factory");
			return (ThreadFactory) factory.invoke(builder);
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	private static ThreadFactory platformFactory() {
		AtomicLong count = new AtomicLong();
		return (task) -> {
			Thread thread = new Thread(task, "Coroutine-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
