package io.llmspell.lua;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code async} module (the event loop as Lua sees it) and the global {@code sleep}.
 * Timers fire on Reactor's parallel scheduler and only post to the loop.
 */
final class AsyncModule {

	private final LuaRun run;

	private final Map<Integer, Disposable> timers = new HashMap<>();

	private int lastTimer;

	AsyncModule(LuaRun run) {
		this.run = run;
	}

	LuaTable table() {
		LuaTable async = new LuaTable();
		async.set("process_callbacks",
				LuaFunctions.named("process_callbacks", (args) -> LlmModule.processCallbacks(run, args)));
		async.set("pending_count",
				LuaFunctions.named("pending_count", (args) -> LuaValue.valueOf(run.loop().pendingCount())));
		async.set("set_timeout", LuaFunctions.named("set_timeout", this::setTimeout));
		async.set("clear_timeout",
				LuaFunctions.named("clear_timeout", (args) -> LuaValue.valueOf(clearTimeout(args.checkint(1)))));
		async.set("wait_all", LuaFunctions.named("wait_all", this::waitAll));
		return async;
	}

	LuaValue sleepFunction() {
		return LuaFunctions.named("sleep", (args) -> {
			sleep(LlmModule.seconds(args.checkdouble(1)));
			return LuaValue.NONE;
		});
	}

	private Varargs setTimeout(Varargs args) {
		long delay = LlmModule.seconds(args.checkdouble(1));
		LuaValue callback = args.checkfunction(2);
		EventLoop loop = run.loop();
		loop.begin(false);
		int id = ++lastTimer;
		long boundedDelay = Math.min(delay, Math.max(0, run.guard().remainingNanos()) + 1);
		timers.put(id, Schedulers.parallel().schedule(() -> loop.post(() -> {
			if (timers.remove(id) != null) {
				loop.end(false);
				callback.call();
			}
		}), boundedDelay, TimeUnit.NANOSECONDS));
		return LuaValue.valueOf(id);
	}

	private boolean clearTimeout(int id) {
		Disposable timer = timers.remove(id);
		if (timer == null) {
			return false;
		}
		timer.dispose();
		run.loop().end(false);
		return true;
	}

	/**
	 * {@code async.wait_all([timeout])}: true once nothing is pending, or false and
	 * "timeout".
	 */
	private Varargs waitAll(Varargs args) {
		long deadline = args.isnoneornil(1) ? Long.MAX_VALUE
				: System.nanoTime() + LlmModule.seconds(args.checkdouble(1));
		EventLoop loop = run.loop();
		while (loop.pendingCount() > 0) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("timeout"));
			}
			loop.tick(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
		}
		return LuaValue.TRUE;
	}

	/**
	 * Pauses the Lua thread; background work goes on, nothing is dispatched, cancellation
	 * ends it.
	 */
	private void sleep(long nanos) {
		long end = System.nanoTime() + nanos;
		while (true) {
			run.guard().checkpoint();
			long left = Math.min(end - System.nanoTime(), run.guard().remainingNanos() + 1_000_000);
			if (left <= 0) {
				break;
			}
			java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
			if (Thread.interrupted()) {
				throw run.guard().interrupted();
			}
		}
		run.guard().checkpoint();
	}

	/** Stops every timer: the run is over. */
	void cancelAll() {
		timers.values().forEach(Disposable::dispose);
		timers.clear();
	}

}
