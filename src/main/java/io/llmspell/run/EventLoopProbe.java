package io.llmspell.run;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.llmspell.lua.EventLoop;
import io.llmspell.lua.LuaRun;

/**
 * Reads how many async operations a running spell has pending on its event loop, for the
 * {@code llmspell.eventloop.pending} gauge.
 * <p>
 * {@link LuaRun} keeps its {@link EventLoop} private and the runtime is not ours to edit, so this
 * peeks at the field. The count is written by the run's own thread only: read from here it may be
 * a moment stale, which a gauge scraped every few seconds does not mind. If the field goes away,
 * the gauge reads 0 rather than breaking anything.
 * TODO: replace with a public {@code LuaRun.pendingCount()} once the runtime offers one.
 */
final class EventLoopProbe {

	private static final Logger log = LoggerFactory.getLogger(EventLoopProbe.class);

	private static final VarHandle LOOP = find();

	private EventLoopProbe() {
	}

	static int pending(LuaRun run) {
		if (LOOP == null) {
			return 0;
		}
		try {
			EventLoop loop = (EventLoop) LOOP.get(run);
			return (loop != null) ? Math.max(0, loop.pendingCount()) : 0;
		}
		catch (RuntimeException ex) {
			// a torn read of the executors list while it changes: skip this sample
			return 0;
		}
	}

	private static VarHandle find() {
		try {
			return MethodHandles.privateLookupIn(LuaRun.class, MethodHandles.lookup())
				.findVarHandle(LuaRun.class, "loop", EventLoop.class);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			log.warn("The event-loop gauge is unavailable ({}); it reads 0", ex.toString());
			return null;
		}
	}

}
