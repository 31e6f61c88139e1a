package io.llmspell.lua;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua coroutine on a thread from {@link CoroutineThreads}. LuaJ 3.0.1's own
 * {@code LuaThread} starts a platform thread per coroutine ({@code new Thread} in
 * {@code State.lua_resume}) and hands control over with {@code synchronized} and
 * {@code wait}, which would pin a virtual thread's carrier on Java 21 to 23; this one
 * hands control over with a {@link ReentrantLock}, so a suspended coroutine on a virtual
 * thread holds no platform thread. Exactly one of the resumer and the coroutine runs at a
 * time, as in Lua.
 * <p>
 * The status stays in LuaJ's {@code state.status}, so {@code coroutine.status},
 * {@code coroutine.running} and the debug hooks work unchanged. No orphan polling:
 * {@link LuaRun} ends every suspended coroutine of a run with {@link #kill} when the run
 * ends.
 */
final class Coroutine extends LuaThread {

	private final CoroutineThreads threads;

	private final RunGuard guard;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition turn = lock.newCondition();

	/** True while the coroutine's thread has the turn. */
	private boolean coroutineTurn;

	private boolean started;

	private boolean killed;

	/** Arguments in (resume), values out (yield, return). */
	private Varargs transfer = LuaValue.NONE;

	/** The error the body ended with, or null. */
	private LuaValue error;

	Coroutine(Globals globals, LuaValue function, CoroutineThreads threads, RunGuard guard) {
		super(globals, function);
		this.threads = threads;
		this.guard = guard;
	}

	@Override
	public Varargs resume(Varargs args) {
		if (state.status > STATUS_SUSPENDED) {
			return LuaValue.varargsOf(LuaValue.FALSE, LuaValue
				.valueOf("cannot resume " + ((state.status == STATUS_DEAD) ? "dead" : "non-suspended") + " coroutine"));
		}
		Varargs values = switchTo(args);
		LuaValue failure = error;
		error = null;
		return (failure != null) ? LuaValue.varargsOf(LuaValue.FALSE, failure)
				: LuaValue.varargsOf(LuaValue.TRUE, values);
	}

	/**
	 * Called on this coroutine's own thread ({@code coroutine.yield}): gives the turn
	 * back to the resumer and waits for the next resume.
	 */
	Varargs yield(Varargs values) {
		lock.lock();
		try {
			state.status = STATUS_SUSPENDED;
			transfer = values;
			coroutineTurn = false;
			turn.signalAll();
			while (!coroutineTurn) {
				turn.awaitUninterruptibly();
			}
			if (killed) {
				throw new Killed();
			}
			Varargs args = transfer;
			transfer = LuaValue.NONE;
			return args;
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Ends a suspended coroutine (its run is over): its thread unwinds from the
	 * {@code yield} it waits in, and ends. A coroutine never started just becomes dead.
	 */
	void kill() {
		if (state.status == STATUS_INITIAL) {
			state.status = STATUS_DEAD;
		}
		if (state.status != STATUS_SUSPENDED) {
			return;
		}
		killed = true;
		switchTo(LuaValue.NONE);
		error = null;
	}

	/**
	 * Makes this coroutine the running Lua thread, gives it the turn, and waits (without
	 * CPU, interrupts kept) until it yields or ends.
	 */
	private Varargs switchTo(Varargs args) {
		LuaThread previous = globals.running;
		globals.running = this;
		previous.state.status = STATUS_NORMAL;
		state.status = STATUS_RUNNING;
		lock.lock();
		try {
			transfer = args;
			coroutineTurn = true;
			if (!started) {
				started = true;
				try {
					threads.start(this::body, guard);
				}
				catch (RunAbort abort) {
					coroutineTurn = false;
					state.status = STATUS_DEAD;
					throw abort;
				}
			}
			else {
				turn.signalAll();
			}
			while (coroutineTurn) {
				turn.awaitUninterruptibly();
			}
			Varargs values = transfer;
			transfer = LuaValue.NONE;
			return values;
		}
		finally {
			lock.unlock();
			globals.running = previous;
			previous.state.status = STATUS_RUNNING;
		}
	}

	/** The coroutine's thread: runs the function, then gives the turn back for good. */
	private void body() {
		Varargs result = LuaValue.NONE;
		LuaValue failure = null;
		LuaSandbox.CURRENT.set(guard);
		try {
			Varargs args;
			lock.lock();
			try {
				args = transfer;
				transfer = LuaValue.NONE;
			}
			finally {
				lock.unlock();
			}
			result = state.function.invoke(args);
		}
		catch (Killed ex) {
			// the run is over
		}
		catch (LuaError ex) {
			LuaValue message = ex.getMessageObject();
			failure = (message != null) ? message : LuaValue.valueOf("error");
		}
		catch (StackOverflowError ex) {
			RunAbort abort = RunAbort.limit(RunLimits.CALL_DEPTH, "the Lua stack overflowed");
			guard.abort(abort);
			failure = LuaValue.valueOf(guard.aborted().getMessage());
		}
		catch (Throwable ex) {
			// a RunAbort (the run stops at the resumer's next instruction) or a bug
			failure = LuaValue.valueOf(String.valueOf(ex.getMessage()));
		}
		finally {
			LuaSandbox.CURRENT.remove();
			threads.ended();
			lock.lock();
			try {
				state.status = STATUS_DEAD;
				transfer = result;
				error = failure;
				coroutineTurn = false;
				turn.signalAll();
			}
			finally {
				lock.unlock();
			}
		}
	}

	/**
	 * Unwinds a killed coroutine's stack. An {@link Error}, so neither {@code pcall} nor
	 * the runtime's handlers of exceptions catch it.
	 */
	private static final class Killed extends Error {

		Killed() {
			super("coroutine killed: its run has ended", null, false, false);
		}

	}

}
