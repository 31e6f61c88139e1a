package io.llmspell.lua;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Converts between Lua values and the plain Java values of JSON (Map, List, String, Long,
 * Double, Boolean, null). A table whose keys are exactly 1..n is a list; an empty table
 * is an object; {@link #NULL} stands for JSON null inside tables.
 * <p>
 * Every conversion to Java has a {@link Budget}: the bytes its JSON would take, counted
 * as it goes, so that a table shared many times ({@code t = {t, t}} nested 30 deep) stops
 * at the budget instead of being walked exponentially, and the run's deadline is checked
 * every few thousand values.
 */
public final class LuaValues {

	/** {@code json.null}: a unique value, since nil cannot be stored in a table. */
	public static final LuaValue NULL = new ReadOnlyTable(new LuaTable(), "json.null");

	private static final int MAX_DEPTH = 100;

	private LuaValues() {
	}

	public static LuaValue toLua(Object value) {
		return toLua(value, 0);
	}

	private static LuaValue toLua(Object value, int depth) {
		if (depth > MAX_DEPTH) {
			throw new LuaError("value nested more than " + MAX_DEPTH + " levels deep");
		}
		if (value == null) {
			return NULL;
		}
		if (value instanceof String text) {
			return LuaValue.valueOf(text);
		}
		if (value instanceof Boolean flag) {
			return LuaValue.valueOf(flag);
		}
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
				|| value instanceof BigInteger) {
			long number = ((Number) value).longValue();
			return (number == (int) number) ? LuaValue.valueOf((int) number) : LuaValue.valueOf((double) number);
		}
		if (value instanceof Number number) {
			return LuaValue.valueOf(number.doubleValue());
		}
		if (value instanceof Map<?, ?> map) {
			LuaTable table = new LuaTable(0, map.size());
			map.forEach((key, item) -> table.rawset(LuaValue.valueOf(String.valueOf(key)), toLua(item, depth + 1)));
			return table;
		}
		if (value instanceof List<?> list) {
			LuaTable table = new LuaTable(list.size(), 0);
			for (int i = 0; i < list.size(); i++) {
				table.rawset(i + 1, toLua(list.get(i), depth + 1));
			}
			return table;
		}
		if (value instanceof LuaValue lua) {
			return lua;
		}
		return LuaValue.valueOf(String.valueOf(value));
	}

	/**
	 * A Lua value as plain Java; functions, coroutines and userdata become their type
	 * name.
	 */
	public static Object toJava(LuaValue value) {
		return toJava(value, Budget.unguarded(16L << 20));
	}

	/** {@link #toJava(LuaValue)} within {@code budget}. */
	public static Object toJava(LuaValue value, Budget budget) {
		return toJava(value, 0, new IdentityHashMap<>(), budget);
	}

	/**
	 * Several Lua values (a chunk's results): none is null, one is itself, more are a
	 * list.
	 */
	public static Object toJava(Varargs values, Budget budget) {
		if (values.narg() == 0) {
			return null;
		}
		if (values.narg() == 1) {
			return toJava(values.arg1(), budget);
		}
		List<Object> list = new ArrayList<>();
		for (int i = 1; i <= values.narg(); i++) {
			list.add(toJava(values.arg(i), budget));
		}
		return list;
	}

	private static Object toJava(LuaValue value, int depth, IdentityHashMap<LuaValue, Boolean> seen, Budget budget) {
		budget.spend((value.type() == LuaValue.TSTRING) ? value.rawlen() + 2 : 6);
		if (value == NULL || value.isnil()) {
			return null;
		}
		switch (value.type()) {
			case LuaValue.TBOOLEAN:
				return value.toboolean();
			case LuaValue.TNUMBER:
				double number = value.todouble();
				if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 1e15) {
					return (long) number;
				}
				if (Double.isNaN(number) || Double.isInfinite(number)) {
					return String.valueOf(value.tojstring());
				}
				return number;
			case LuaValue.TSTRING:
				return value.tojstring();
			case LuaValue.TTABLE:
				return tableToJava((LuaTable) value, depth, seen, budget);
			default:
				return value.typename();
		}
	}

	private static Object tableToJava(LuaTable table, int depth, IdentityHashMap<LuaValue, Boolean> seen,
			Budget budget) {
		if (depth >= MAX_DEPTH) {
			throw new LuaError("table nested more than " + MAX_DEPTH + " levels deep");
		}
		if (seen.put(table, Boolean.TRUE) != null) {
			throw new LuaError("table contains a reference to itself");
		}
		try {
			int length = table.rawlen();
			int keys = table.keyCount();
			if (keys > 0 && keys == length) {
				List<Object> list = new ArrayList<>(length);
				for (int i = 1; i <= length; i++) {
					budget.spend(1);
					list.add(toJava(table.rawget(i), depth + 1, seen, budget));
				}
				return list;
			}
			Map<String, Object> map = new TreeMap<>();
			LuaValue key = LuaValue.NIL;
			while (true) {
				Varargs next = table.next(key);
				key = next.arg1();
				if (key.isnil()) {
					break;
				}
				if (!key.isstring()) {
					throw new LuaError("cannot convert a table with " + key.typename() + " keys");
				}
				budget.spend(key.rawlen() + 4);
				map.put(key.tojstring(), toJava(next.arg(2), depth + 1, seen, budget));
			}
			return map;
		}
		finally {
			seen.remove(table);
		}
	}

	/**
	 * How many bytes a conversion may produce (about what its JSON takes), and what
	 * happens past them: with a run's guard, the run ends with the given limit; without,
	 * a Lua error. The guard's deadline is checked every few thousand values.
	 */
	public static final class Budget {

		private final RunGuard guard;

		private final String limit;

		private final String what;

		private final long bytes;

		private long left;

		private long values;

		private Budget(RunGuard guard, String limit, String what, long bytes) {
			this.guard = guard;
			this.limit = limit;
			this.what = what;
			this.bytes = bytes;
			this.left = bytes;
		}

		/**
		 * At most {@code bytes}; past them the run ends with {@code limit} ("log fields
		 * larger than ...").
		 */
		public static Budget of(RunGuard guard, String limit, String what, long bytes) {
			return new Budget(guard, limit, what, Math.max(0, bytes));
		}

		static Budget unguarded(long bytes) {
			return new Budget(null, null, "value", bytes);
		}

		/** Bytes spent so far. */
		public long spent() {
			return bytes - left;
		}

		void spend(long size) {
			left -= size;
			if (left < 0) {
				String message = what + " larger than " + bytes + " bytes";
				if (guard != null && limit != null) {
					throw guard.limitExceeded(limit, message);
				}
				throw new LuaError(message);
			}
			if ((++values & 0xfff) == 0 && guard != null) {
				guard.checkTime();
			}
		}

	}

	/** Keeps insertion order where it matters (events built in Java). */
	public static Map<String, Object> ordered() {
		return new LinkedHashMap<>();
	}

}
