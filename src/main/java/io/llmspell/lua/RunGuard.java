package io.llmspell.lua;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

import io.llmspell.lua.strings.StringBudget;

/**
 * Enforces a run's limits from inside the interpreter. LuaJ calls
 * {@code globals.debuglib} before every instruction and around every call of every
 * closure created under the run's Globals, in coroutines too, so installing this as the
 * debug library (without exposing a {@code debug} table) gives one cheap hook for:
 * cancellation, the wall-clock deadline, the instruction budget, the call depth, the
 * memory budget, and the size of {@code ..} results, which is checked before the
 * concatenation allocates.
 * <p>
 * The memory budget bounds what the run holds, not what it ever allocated: the run's
 * allocation (measured by the JVM per thread, or estimated from the instructions it runs
 * and the strings it stores where the JVM cannot say) only says when to look. Once it
 * passes the budget, a {@link HeldMemory} walk measures what the run's Lua state holds
 * (plus what Java code holds while it builds a value for the run) and that figure, not
 * the garbage, is held against {@code max-memory}. Walks are spaced so that they cost a
 * small share of the run's time.
 * <p>
 * Only one Lua thread of a run executes at a time, so the counters need no
 * synchronisation; the abort flag is volatile because other threads (a timer, a
 * disconnecting client) set it.
 */
public final class RunGuard extends DebugLib implements StringBudget {

	private static final int CHECK_INTERVAL = 1024;

	private static final long BIG_RESULT = 64 * 1024;

	private static final com.sun.management.ThreadMXBean THREADS = threadBean();

	/**
	 * Where the JVM cannot count a thread's allocation (virtual threads), the bytes each
	 * opcode typically allocates for structures that can stay alive: tables, closures,
	 * table growth. Short-lived garbage (numbers, call results) is left out, so the
	 * estimate errs low.
	 */
	private static final int[] ESTIMATED_BYTES = new int[64];

	static {
		ESTIMATED_BYTES[Lua.OP_NEWTABLE] = 64;
		ESTIMATED_BYTES[Lua.OP_CLOSURE] = 48;
		ESTIMATED_BYTES[Lua.OP_SETTABLE] = 16;
		ESTIMATED_BYTES[Lua.OP_SETTABUP] = 16;
		ESTIMATED_BYTES[Lua.OP_SETLIST] = 16;
	}

	private final Globals globals;

	private final RunLimits limits;

	private final long deadlineNanos;

	private volatile RunAbort abort;

	private long instructions;

	private final long maxInstructions;

	/**
	 * The Lua thread that ran last, and its frames: one compare per instruction instead
	 * of a lookup.
	 */
	private LuaThread lastThread;

	private Frames lastFrames;

	private int countdown = CHECK_INTERVAL;

	/** Bytes allocated since the last walk (measured or estimated). */
	private long allocated;

	/** Bytes the last walk found held. */
	private long held;

	/** Bytes Java code holds now while it builds values for the run. */
	private long javaHeld;

	/**
	 * No walk before this ({@link System#nanoTime()}), unless a whole budget was
	 * allocated since the last: walks take at most a fifth of the run's time.
	 */
	private long nextWalkNanos;

	/** The held estimate as last published, for other threads (the heap guard). */
	private volatile long published;

	private volatile boolean measureRequested;

	private volatile long measuredAtNanos;

	/** What the last walk found, with what Java held then. */
	private volatile long measuredHeld;

	private final LuaThread mainThread;

	/** The bookkeeping of every Lua thread the run has run: roots of the memory walk. */
	private final List<Frames> threads = new ArrayList<>();

	public RunGuard(Globals globals, RunLimits limits, long startNanos) {
		this.globals = globals;
		this.mainThread = globals.running;
		this.limits = limits;
		this.deadlineNanos = startNanos + limits.timeout().toNanos();
		this.maxInstructions = limits.maxInstructions();
	}

	public RunLimits limits() {
		return limits;
	}

	public long instructions() {
		return instructions;
	}

	/**
	 * About how many bytes the run holds: what the last walk found plus what was
	 * allocated since (an upper estimate until the next walk). Safe to read from any
	 * thread.
	 */
	public long heldBytes() {
		return published;
	}

	/**
	 * Asks the run to measure what it holds at its next checkpoint; the heap guard does
	 * this before it chooses a run to stop. Returns when the run last measured.
	 */
	public long requestMeasurement() {
		measureRequested = true;
		return measuredAtNanos;
	}

	/** What the run held when it last measured (without what it allocated since). */
	public long measuredHeldBytes() {
		return measuredHeld;
	}

	/** When the run last measured what it holds ({@link System#nanoTime()}). */
	public long measuredAtNanos() {
		return measuredAtNanos;
	}

	/**
	 * Java code is about to hold {@code bytes} more for the run (a value it builds);
	 * throws if the run would then be over its memory budget.
	 */
	public void hold(long bytes) {
		javaHeld += bytes;
		if (frames().estimated) {
			allocated += bytes;
		}
		checkpoint();
	}

	/** Java code no longer holds these bytes (the value is now Lua's, or garbage). */
	public void release(long bytes) {
		javaHeld = Math.max(0, javaHeld - bytes);
	}

	public long deadlineNanos() {
		return deadlineNanos;
	}

	public long remainingNanos() {
		return deadlineNanos - System.nanoTime();
	}

	/**
	 * Stops the run: the next instruction, hook or wait of any of its Lua threads throws.
	 */
	public void abort(RunAbort reason) {
		if (abort == null) {
			abort = reason;
		}
	}

	public RunAbort aborted() {
		return abort;
	}

	/**
	 * The run's Lua thread was interrupted while it waited: the run ends as cancelled.
	 * Keeps the thread's interrupt flag and returns what to throw.
	 */
	public RunAbort interrupted() {
		Thread.currentThread().interrupt();
		return fail(new RunAbort(RunAbort.Kind.CANCELLED, null, "run was interrupted"));
	}

	/**
	 * Throws if the run must stop (aborted, past its deadline, over its memory budget).
	 * Java code that loops or waits on behalf of Lua calls this, since the instruction
	 * hook does not run then.
	 */
	@Override
	public void checkpoint() {
		RunAbort reason = abort;
		if (reason != null) {
			throw reason;
		}
		checkTime();
		measureAllocation();
	}

	/**
	 * Throws if the run is aborted or past its deadline; unlike {@link #checkpoint} it
	 * never measures memory, so a memory walk itself can call it.
	 */
	public void checkTime() {
		RunAbort reason = abort;
		if (reason != null) {
			throw reason;
		}
		if (System.nanoTime() - deadlineNanos > 0) {
			throw fail(new RunAbort(RunAbort.Kind.TIMEOUT, RunLimits.TIMEOUT,
					"run timed out after " + limits.timeout().toMillis() + " ms"));
		}
	}

	@Override
	public long maxStringSize() {
		return limits.maxStringSize();
	}

	@Override
	public void allocated(long bytes) {
		if (frames().estimated) {
			allocated += bytes;
		}
		checkpoint();
	}

	@Override
	public void tooLarge(String function, String size) {
		throw fail(RunAbort.limit(RunLimits.STRING_SIZE,
				function + " would build a string of " + size + " bytes (limit " + limits.maxStringSize() + ")"));
	}

	// The hooks LuaJ calls. They replace DebugLib's own bookkeeping, which is what makes
	// it slow.

	@Override
	public void onCall(LuaFunction f) {
		enter(null, null);
	}

	@Override
	public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
		enter(c, stack);
	}

	@Override
	public void onReturn() {
		frames().pop();
	}

	@Override
	public void onInstruction(int pc, Varargs v, int top) {
		RunAbort reason = abort;
		if (reason != null) {
			throw reason;
		}
		if (++instructions > maxInstructions) {
			throw fail(RunAbort.limit(RunLimits.INSTRUCTIONS, "more than " + maxInstructions + " Lua instructions"));
		}
		Frames frames = frames();
		int[] code = frames.code;
		if (code != null) {
			int instruction = code[pc];
			int opcode = instruction & 0x3f;
			if (opcode == Lua.OP_CONCAT) {
				long length = checkConcat(frames.stacks[frames.depth - 1], Lua.GETARG_B(instruction),
						Lua.GETARG_C(instruction));
				if (frames.estimated) {
					allocated += length + 40;
				}
			}
			else if (frames.estimated) {
				allocated += ESTIMATED_BYTES[opcode];
				if (ESTIMATED_BYTES[opcode] != 0 || opcode == Lua.OP_SETUPVAL) {
					allocated += storedStrings(frames.stacks[frames.depth - 1], instruction, opcode, top);
				}
			}
		}
		if (--countdown <= 0) {
			countdown = CHECK_INTERVAL;
			checkpoint();
		}
	}

	@Override
	public String traceback(int level) {
		return traceback();
	}

	/**
	 * The Lua call stack of the running thread, innermost first, as
	 * {@code chunk: in function <chunk:line-defined>} entries.
	 */
	public String traceback() {
		Frames frames = frames();
		StringBuilder text = new StringBuilder("stack traceback:");
		int shown = 0;
		for (int i = frames.depth - 1; i >= 0 && shown < 20; i--) {
			LuaClosure closure = frames.closures[i];
			if (closure != null) {
				// Lua's form without the current line, which the hooks do not track:
				// "main.lua: in main chunk", "main.lua: in function <main.lua:12>".
				String source = closure.p.source.tojstring();
				text.append("\n\t").append(source).append(": in ");
				if (closure.p.linedefined == 0) {
					text.append("main chunk");
				}
				else {
					text.append("function <").append(source).append(":").append(closure.p.linedefined).append(">");
				}
				shown++;
			}
		}
		return text.toString();
	}

	private void enter(LuaClosure closure, LuaValue[] stack) {
		Frames frames = frames();
		if (frames.estimated && stack != null) {
			allocated += 32 + 8L * stack.length;
		}
		if (frames.depth >= limits.maxCallDepth()) {
			throw fail(RunAbort.limit(RunLimits.CALL_DEPTH,
					"more than " + limits.maxCallDepth() + " nested calls (unbounded recursion?)"));
		}
		frames.push(closure, stack);
	}

	/** Stops the run with {@code limit} exceeded; returns what to throw. */
	public RunAbort limitExceeded(String limit, String message) {
		return fail(RunAbort.limit(limit, message));
	}

	/** Stops the run: a library function was asked to build a string over the limit. */
	public RunAbort stringTooLarge(String what, long size) {
		tooLarge(what, Long.toString(size));
		return abort;
	}

	private long checkConcat(LuaValue[] stack, int from, int to) {
		long length = 0;
		for (int i = from; i <= to; i++) {
			LuaValue value = stack[i];
			if (value.isstring()) {
				length += (value.type() == LuaValue.TSTRING) ? value.rawlen() : 24;
			}
		}
		if (length > limits.maxStringSize()) {
			throw stringTooLarge("'..'", length);
		}
		if (length >= BIG_RESULT) {
			checkpoint();
		}
		return length;
	}

	/**
	 * Where the JVM cannot count allocation: the bytes of the strings an instruction
	 * stores into a table or upvalue, where they stay alive (a string built in Java is
	 * charged nowhere else).
	 */
	private static long storedStrings(LuaValue[] stack, int instruction, int opcode, int top) {
		if (stack == null) {
			return 0;
		}
		switch (opcode) {
			case Lua.OP_SETTABLE, Lua.OP_SETTABUP -> {
				int c = Lua.GETARG_C(instruction);
				return Lua.ISK(c) ? 0 : stringBytes(stack, c);
			}
			case Lua.OP_SETUPVAL -> {
				return stringBytes(stack, Lua.GETARG_A(instruction));
			}
			case Lua.OP_SETLIST -> {
				int a = Lua.GETARG_A(instruction);
				int b = Lua.GETARG_B(instruction);
				int last = (b == 0) ? top - 1 : a + b;
				long bytes = 0;
				for (int i = a + 1; i <= last && i < stack.length; i++) {
					bytes += stringBytes(stack, i);
				}
				return bytes;
			}
			default -> {
				return 0;
			}
		}
	}

	private static long stringBytes(LuaValue[] stack, int register) {
		if (register < 0 || register >= stack.length) {
			return 0;
		}
		LuaValue value = stack[register];
		return (value != null && value.type() == LuaValue.TSTRING) ? value.rawlen() : 0;
	}

	private void measureAllocation() {
		Frames frames = frames();
		if (!frames.estimated) {
			long now = THREADS.getCurrentThreadAllocatedBytes();
			allocated += now - frames.allocationMark;
			frames.allocationMark = now;
		}
		long max = limits.maxMemory();
		long estimate = held + allocated + javaHeld;
		boolean requested = measureRequested;
		// walk when past the budget, but not so often that walking is most of the work
		if (requested || estimate > max && (System.nanoTime() - nextWalkNanos >= 0 || allocated >= max - javaHeld)) {
			measureRequested = false;
			long start = System.nanoTime();
			HeldMemory walk = HeldMemory.measure(roots(), max - javaHeld, this::checkTime);
			held = walk.bytes();
			allocated = 0;
			measuredAtNanos = System.nanoTime();
			nextWalkNanos = measuredAtNanos + 4 * (measuredAtNanos - start);
			estimate = held + javaHeld;
			measuredHeld = estimate;
			if (estimate > max) {
				published = estimate;
				throw fail(RunAbort.limit(RunLimits.MEMORY,
						"the run holds more than " + (estimate >> 20) + " MB (limit " + (max >> 20) + " MB)"));
			}
		}
		published = estimate;
	}

	/** Where the walk starts: the globals, and every Lua thread of the run. */
	private List<Object> roots() {
		List<Object> roots = new ArrayList<>(threads.size() + 2);
		roots.add(globals);
		roots.add(mainThread);
		for (Frames frames : threads) {
			frames.forEachRoot(roots::add);
		}
		return roots;
	}

	private RunAbort fail(RunAbort reason) {
		abort(reason);
		return abort;
	}

	/**
	 * The bookkeeping of the running Lua thread, kept in the slot LuaJ reserves for the
	 * debug library.
	 */
	private Frames frames() {
		LuaThread running = globals.running;
		if (running == lastThread) {
			return lastFrames;
		}
		Object frames = running.callstack;
		if (frames == null) {
			Frames created = new Frames();
			// count what this thread allocates from its first Lua call on; the JVM cannot
			// say for a
			// virtual thread (nor on a JVM without the counter), so there the run's
			// allocation is estimated
			created.allocationMark = (THREADS != null) ? THREADS.getCurrentThreadAllocatedBytes() : -1;
			created.estimated = created.allocationMark < 0;
			running.callstack = created;
			threads.add(created);
			frames = created;
		}
		lastThread = running;
		lastFrames = (Frames) frames;
		return lastFrames;
	}

	private static com.sun.management.ThreadMXBean threadBean() {
		try {
			if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
					&& bean.isThreadAllocatedMemorySupported()) {
				bean.setThreadAllocatedMemoryEnabled(true);
				return bean;
			}
		}
		catch (RuntimeException ex) {
			// Not a HotSpot JVM: the string size and heap guards still apply.
		}
		return null;
	}

	/** One Lua thread's call stack. */
	static final class Frames {

		LuaClosure[] closures = new LuaClosure[32];

		LuaValue[][] stacks = new LuaValue[32][];

		int depth;

		/**
		 * The bytecode of the innermost Lua closure, or null when a Java function is
		 * innermost.
		 */
		int[] code;

		long allocationMark = -1;

		/**
		 * True when this thread's allocation is estimated from the instructions it runs.
		 */
		boolean estimated;

		void push(LuaClosure closure, LuaValue[] stack) {
			if (depth == closures.length) {
				closures = java.util.Arrays.copyOf(closures, depth * 2);
				stacks = java.util.Arrays.copyOf(stacks, depth * 2);
			}
			closures[depth] = closure;
			stacks[depth] = stack;
			depth++;
			code = (closure != null) ? closure.p.code : null;
		}

		/** Hands the closures and stacks of the active frames to {@code into}. */
		void forEachRoot(java.util.function.Consumer<Object> into) {
			for (int i = 0; i < depth; i++) {
				if (closures[i] != null) {
					into.accept(closures[i]);
				}
				if (stacks[i] != null) {
					into.accept(stacks[i]);
				}
			}
		}

		void pop() {
			if (depth > 0) {
				depth--;
				closures[depth] = null;
				stacks[depth] = null;
				LuaClosure innermost = (depth > 0) ? closures[depth - 1] : null;
				code = (innermost != null) ? innermost.p.code : null;
			}
		}

	}

}
