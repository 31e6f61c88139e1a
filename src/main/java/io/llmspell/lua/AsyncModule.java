package io.llmspell.lua;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import static io.llmspell.lua.LuaKeys.key;

/**
 * The {@code async} module (the event loop as Lua sees it) and the global {@code sleep}.
 * Timers fire on Reactor's parallel scheduler and only post to the loop.
 */
final class AsyncModule {

	private final LuaRun run;

	private final Map<Integer, Disposable> timers = new HashMap<>();

	private int lastTimer;

	/** Cancellable operations by id: http requests and created callbacks. */
	private final Map<Integer, Runnable> operations = new HashMap<>();

	private int lastOperation;

	private final Map<Integer, LuaValue> callbacks = new HashMap<>();

	AsyncModule(LuaRun run) {
		this.run = run;
	}

	LuaTable table() {
		LuaTable async = new LuaTable(0, 8);
		async.set(key("process_callbacks"),
				LuaFunctions.named("process_callbacks", (args) -> LlmModule.processCallbacks(run, args)));
		async.set(key("pending_count"),
				LuaFunctions.named("pending_count", (args) -> LuaValue.valueOf(run.loop().pendingCount())));
		async.set(key("set_timeout"), LuaFunctions.named("set_timeout", this::setTimeout));
		async.set(key("clear_timeout"),
				LuaFunctions.named("clear_timeout", (args) -> LuaValue.valueOf(clearTimeout(args.checkint(1)))));
		async.set(key("wait_all"), LuaFunctions.named("wait_all", this::waitAll));
		async.set(key("cancel"), LuaFunctions.named("cancel", (args) -> LuaValue.valueOf(cancel(args.checkint(1)))));
		async.set(key("create_callback"), LuaFunctions.named("create_callback", this::createCallback));
		async.set(key("complete_callback"), LuaFunctions.named("complete_callback", this::completeCallback));
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

	/**
	 * Registers a pending operation that {@code async.cancel(id)} can stop; the caller
	 * has counted it on the loop ({@link EventLoop#begin}).
	 * @param onCancel stops it and uncounts it
	 * @return its id
	 */
	int register(Runnable onCancel) {
		int id = ++lastOperation;
		operations.put(id, onCancel);
		return id;
	}

	/**
	 * Ends a registered operation; {@code false} if it was cancelled already (then its
	 * completion must not run).
	 */
	boolean finish(int id) {
		return operations.remove(id) != null;
	}

	private boolean cancel(int id) {
		Runnable onCancel = operations.remove(id);
		if (onCancel == null) {
			return false;
		}
		onCancel.run();
		return true;
	}

	/**
	 * {@code async.create_callback(fn)} -> id: a pending callback (counted, so the loop
	 * waits for it) that {@code async.complete_callback(id, ...)} completes; {@code fn}
	 * then runs with those arguments at the next dispatch point.
	 */
	private Varargs createCallback(Varargs args) {
		LuaValue callback = args.checkfunction(1);
		EventLoop loop = run.loop();
		loop.begin(false);
		int[] self = new int[1];
		self[0] = register(() -> {
			callbacks.remove(self[0]);
			loop.end(false);
		});
		int id = self[0];
		callbacks.put(id, callback);
		return LuaValue.valueOf(id);
	}

	/**
	 * {@code async.complete_callback(id, ...)} -> true, or false if it is not pending.
	 */
	private Varargs completeCallback(Varargs args) {
		int id = args.checkint(1);
		LuaValue callback = callbacks.remove(id);
		if (callback == null || !finish(id)) {
			return LuaValue.FALSE;
		}
		Varargs values = args.subargs(2);
		EventLoop loop = run.loop();
		loop.post(() -> {
			loop.end(false);
			callback.invoke(values);
		});
		return LuaValue.TRUE;
	}

	/** Stops every timer and pending operation: the run is over. */
	void cancelAll() {
		timers.values().forEach(Disposable::dispose);
		timers.clear();
		new HashMap<>(operations).values().forEach(Runnable::run);
		operations.clear();
		callbacks.clear();
	}

}
