package io.llmspell.lua;

import java.lang.reflect.Field;
import java.util.ArrayDeque;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.UpValue;
import org.luaj.vm2.Varargs;

/**
 * Estimates the bytes a run's Lua state holds: a walk of what is reachable from its
 * globals, its threads' stacks and its coroutines, each object counted once, at rough
 * HotSpot sizes (compressed pointers). It sees Lua values only: what Java code holds on a
 * run's behalf while it builds (a JSON document being decoded) is added by the caller.
 * <p>
 * The walk runs on the run's own thread, between instructions, so the state does not
 * change under it. It is bounded: it stops as soon as the count passes {@code stopAbove}
 * (the run is over its limit then, however much more there is), and it calls
 * {@code check} every few thousand objects so the deadline and cancellation still apply.
 */
final class HeldMemory {

	static final long TABLE = 64, TABLE_ENTRY = 32, ARRAY_ENTRY = 8, STRING = 40, NUMBER = 16, CLOSURE = 32,
			UPVALUE = 24, THREAD = 256, STACK_SLOT = 4;

	/**
	 * A table's array and hash parts, read directly: the walk then tells the array part's
	 * slots (a pointer each) from hash entries (an object each) and skips no slot. Null
	 * where the JVM refuses (the walk then counts every entry as a hash entry).
	 */
	private static final Field ARRAY = field("array"), HASH = field("hash");

	/** Strings shorter than this are counted at each reference rather than tracked. */
	private static final int TRACKED_STRING = 64;

	private final Runnable check;

	private final long stopAbove;

	private final IdentitySet seen = new IdentitySet();

	private final ArrayDeque<Object> pending = new ArrayDeque<>();

	private long bytes;

	private long visited;

	private HeldMemory(Runnable check, long stopAbove) {
		this.check = check;
		this.stopAbove = stopAbove;
	}

	/**
	 * Walks what is reachable from {@code roots} (Lua values, stacks as
	 * {@code LuaValue[]}, threads); its {@link #bytes()} are over {@code stopAbove} as
	 * soon as it is clear there is more than that.
	 */
	static HeldMemory measure(Iterable<?> roots, long stopAbove, Runnable check) {
		HeldMemory walk = new HeldMemory(check, stopAbove);
		for (Object root : roots) {
			walk.push(root);
		}
		walk.run();
		return walk;
	}

	long bytes() {
		return bytes;
	}

	/** Objects the walk looked at: what it cost. */
	long visited() {
		return visited;
	}

	private void run() {
		while (!pending.isEmpty() && bytes <= stopAbove) {
			Object next = pending.pop();
			if ((++visited & 0xfff) == 0) {
				check.run();
			}
			if (next instanceof LuaTable table) {
				table(table);
			}
			else if (next instanceof LuaClosure closure) {
				closure(closure);
			}
			else if (next instanceof LuaThread thread) {
				thread(thread);
			}
			else if (next instanceof LuaValue[] stack) {
				bytes += 16 + STACK_SLOT * stack.length;
				for (LuaValue value : stack) {
					push(value);
				}
			}
			else if (next instanceof Prototype prototype) {
				prototype(prototype);
			}
		}
	}

	private void push(Object value) {
		if (value == null) {
			return;
		}
		if (value instanceof LuaString string) {
			if (string.m_length < TRACKED_STRING) {
				bytes += STRING + string.m_length;
			}
			else if (seen.add(string)) {
				bytes += STRING + string.m_length;
			}
			return;
		}
		if (value instanceof LuaValue lua) {
			switch (lua.type()) {
				case LuaValue.TNUMBER -> bytes += NUMBER;
				case LuaValue.TTABLE, LuaValue.TFUNCTION, LuaValue.TTHREAD -> {
					if (seen.add(lua)) {
						pending.push(lua);
					}
				}
				default -> {
				}
			}
			return;
		}
		if (seen.add(value)) {
			pending.push(value);
		}
	}

	private void table(LuaTable table) {
		bytes += TABLE;
		push(table.getmetatable());
		LuaValue key = LuaValue.NIL;
		int arrayLength = 0;
		if (ARRAY != null && HASH != null) {
			LuaValue[] array;
			Object[] hash;
			try {
				array = (LuaValue[]) ARRAY.get(table);
				hash = (Object[]) HASH.get(table);
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
			if (array != null) {
				arrayLength = array.length;
				bytes += 16 + STACK_SLOT * (long) array.length;
				for (int i = 0; i < array.length; i++) {
					push(array[i]);
					if ((i & 0xfff) == 0xfff) {
						check.run();
						if (bytes > stopAbove) {
							return;
						}
					}
				}
				if (arrayLength > 0) {
					key = LuaValue.valueOf(arrayLength);
				}
			}
			bytes += (hash != null) ? 16 + STACK_SLOT * (long) hash.length : 0;
		}
		long entries = 0;
		while (bytes <= stopAbove) {
			Varargs next = table.next(key);
			key = next.arg1();
			if (key.isnil()) {
				break;
			}
			if (key.isinttype() && key.toint() >= 1 && key.toint() <= arrayLength) {
				continue; // (an array slot, counted above)
			}
			bytes += TABLE_ENTRY;
			push(key);
			push(next.arg(2));
			if ((++entries & 0xfff) == 0) {
				check.run();
			}
		}
	}

	private void closure(LuaClosure closure) {
		bytes += CLOSURE;
		push(closure.p);
		if (closure.upValues != null) {
			for (UpValue upValue : closure.upValues) {
				if (upValue != null) {
					bytes += UPVALUE;
					push(upValue.getValue());
				}
			}
		}
	}

	private void prototype(Prototype prototype) {
		bytes += 64 + 4L * prototype.code.length + ((prototype.lineinfo != null) ? 4L * prototype.lineinfo.length : 0);
		if (prototype.k != null) {
			for (LuaValue constant : prototype.k) {
				push(constant);
			}
		}
		if (prototype.p != null) {
			for (Prototype nested : prototype.p) {
				push(nested);
			}
		}
	}

	private void thread(LuaThread thread) {
		bytes += THREAD;
		push(thread.state.function);
		if (thread.callstack instanceof RunGuard.Frames frames) {
			frames.forEachRoot(this::push);
		}
	}

	private static Field field(String name) {
		try {
			Field field = LuaTable.class.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * A set by identity, open addressing over one array: a few bytes per object, since a
	 * run may hold millions.
	 */
	private static final class IdentitySet {

		private Object[] slots = new Object[1024];

		private int size;

		boolean add(Object value) {
			if (size * 2 >= slots.length) {
				grow();
			}
			int mask = slots.length - 1;
			int i = mix(System.identityHashCode(value)) & mask;
			while (slots[i] != null) {
				if (slots[i] == value) {
					return false;
				}
				i = (i + 1) & mask;
			}
			slots[i] = value;
			size++;
			return true;
		}

		private void grow() {
			Object[] old = slots;
			slots = new Object[old.length * 2];
			int mask = slots.length - 1;
			for (Object value : old) {
				if (value != null) {
					int i = mix(System.identityHashCode(value)) & mask;
					while (slots[i] != null) {
						i = (i + 1) & mask;
					}
					slots[i] = value;
				}
			}
		}

		private static int mix(int hash) {
			return hash * 0x9E3779B9;
		}

	}

}
