package io.llmspell.lua.strings;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The Lua 5.2 {@code string} library for sandboxed runs: every function that can build a
 * large string or loop for long asks the current run's {@link StringBudget}, taken from
 * the supplier on each call. There is no {@code string.dump}.
 *
 * <p>
 * The function objects are created once per instance and hold nothing but the supplier,
 * so one instance can serve every run; give each run its own table from
 * {@link #newTable()}, since a spell may modify it. The string metatable
 * ({@code LuaString.s_metatable}, a JVM-wide static) is left to the caller.
 *
 * <p>
 * Differences from LuaJ's {@code StringLib}, all towards Lua 5.2: {@code rep} takes a
 * separator; {@code lower}, {@code upper} and the pattern classes work on bytes as in the
 * C locale (LuaJ decodes UTF-8 and uses Unicode rules); {@code %g} is supported;
 * {@code find} and {@code match} return nil when {@code init} is past the end plus one;
 * {@code gmatch} steps past empty matches (LuaJ loops on them); a {@code %} followed by
 * anything but a digit or {@code %} in a {@code gsub} replacement is an error;
 * {@code format} is our own, with C's {@code printf} output (precision and flags of
 * {@code %e %f %g}, width and precision of {@code %s}, 64-bit integers, {@code %a}) and
 * {@code %s} accepting any value.
 */
public final class BoundedStringLib {

	private static final int MAX_BYTE_RESULTS = 1_000_000; // Lua's LUAI_MAXSTACK

	private final List<StringFunction> functions;

	// encoded once: a table is made for every run
	private final List<LuaString> names;

	/**
	 * @param budgets gives the budget of the run on the calling thread; must not return
	 * null during a run
	 */
	public BoundedStringLib(Supplier<StringBudget> budgets) {
		Objects.requireNonNull(budgets, "budgets");
		this.functions = List.of(new Bytes(budgets), new Char(budgets),
				new PatternFunctions.Find("find", true, budgets), new FormatFunction(budgets),
				new PatternFunctions.Gmatch(budgets), new PatternFunctions.Gsub(budgets), new Len(budgets),
				new CaseMapping("lower", false, budgets), new PatternFunctions.Find("match", false, budgets),
				new Rep(budgets), new Reverse(budgets), new Sub(budgets), new CaseMapping("upper", true, budgets));
		this.names = this.functions.stream().map((f) -> LuaString.valueOf(f.name())).toList();
	}

	/** A new {@code string} table holding this library's (shared) functions. */
	public LuaTable newTable() {
		LuaTable table = new LuaTable(0, functions.size());
		for (int i = 0; i < functions.size(); i++) {
			table.set(names.get(i), functions.get(i));
		}
		return table;
	}

	/** Shorthand for {@code new BoundedStringLib(budgets).newTable()}. */
	public static LuaTable newLibrary(Supplier<StringBudget> budgets) {
		return new BoundedStringLib(budgets).newTable();
	}

	/**
	 * {@code string.rep(s, n [, sep])}: the size is computed and checked before anything
	 * is allocated.
	 */
	static final class Rep extends StringFunction {

		Rep(Supplier<StringBudget> budgets) {
			super("rep", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = checkString(args, 1);
			long n = checkInteger(args, 2); // saturates: 1e308 and math.huge become
											// Long.MAX_VALUE
			LuaString sep = optString(args, 3, EMPTYSTRING);
			long unit = (long) s.length() + sep.length();
			if (n <= 0 || unit == 0) {
				return EMPTYSTRING;
			}
			StringBudget budget = budget();
			long size;
			try {
				size = Math.subtractExact(Math.multiplyExact(n, unit), sep.length());
			}
			catch (ArithmeticException overflow) {
				BigInteger exact = BigInteger.valueOf(n)
					.multiply(BigInteger.valueOf(unit))
					.subtract(BigInteger.valueOf(sep.length()));
				throw tooLarge(exact.toString(), budget);
			}
			reserve(size, budget);
			byte[] out = new byte[(int) size];
			s.copyInto(0, out, 0, s.length());
			if (size > s.length()) {
				sep.copyInto(0, out, s.length(), sep.length());
			}
			// The result is periodic with period 'unit': double the filled prefix until
			// done.
			int filled = (int) Math.min(unit, size);
			while (filled < size) {
				int chunk = (int) Math.min(filled, size - filled);
				System.arraycopy(out, 0, out, filled, chunk);
				filled += chunk;
			}
			return LuaString.valueUsing(out);
		}

	}

	/** {@code string.byte(s [, i [, j]])}. */
	static final class Bytes extends StringFunction {

		Bytes(Supplier<StringBudget> budgets) {
			super("byte", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = checkString(args, 1);
			int length = s.length();
			long first = relativePosition(optInteger(args, 2, 1), length);
			long last = relativePosition(optInteger(args, 3, first), length);
			first = Math.max(first, 1);
			last = Math.min(last, length);
			if (first > last) {
				return NONE;
			}
			long n = last - first + 1;
			if (n > MAX_BYTE_RESULTS) {
				throw new LuaError("string slice too long");
			}
			LuaValue[] values = new LuaValue[(int) n];
			for (int i = 0; i < n; i++) {
				values[i] = valueOf(s.luaByte((int) first - 1 + i));
			}
			return varargsOf(values);
		}

	}

	/** {@code string.char(...)}. */
	static final class Char extends StringFunction {

		Char(Supplier<StringBudget> budgets) {
			super("char", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			int n = args.narg();
			reserve(n, budget());
			byte[] out = new byte[n];
			for (int i = 0; i < n; i++) {
				long c = checkInteger(args, i + 1);
				if (c < 0 || c > 255) {
					throw argError(i + 1, "value out of range");
				}
				out[i] = (byte) c;
			}
			return LuaString.valueUsing(out);
		}

	}

	/** {@code string.len(s)}. */
	static final class Len extends StringFunction {

		Len(Supplier<StringBudget> budgets) {
			super("len", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			return valueOf(checkString(args, 1).length());
		}

	}

	/**
	 * {@code string.lower(s)} and {@code string.upper(s)}: ASCII only, byte by byte, as
	 * in the C locale.
	 */
	static final class CaseMapping extends StringFunction {

		private final boolean upper;

		CaseMapping(String name, boolean upper, Supplier<StringBudget> budgets) {
			super(name, budgets);
			this.upper = upper;
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = checkString(args, 1);
			int n = s.length();
			reserve(n, budget()); // the input may have been built by '..', which we do
									// not bound
			byte[] out = new byte[n];
			for (int i = 0; i < n; i++) {
				int c = s.luaByte(i);
				out[i] = (byte) (upper ? CharClass.toUpper(c) : CharClass.toLower(c));
			}
			return LuaString.valueUsing(out);
		}

	}

	/** {@code string.reverse(s)}. */
	static final class Reverse extends StringFunction {

		Reverse(Supplier<StringBudget> budgets) {
			super("reverse", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = checkString(args, 1);
			int n = s.length();
			reserve(n, budget());
			byte[] out = new byte[n];
			for (int i = 0; i < n; i++) {
				out[n - 1 - i] = (byte) s.luaByte(i);
			}
			return LuaString.valueUsing(out);
		}

	}

	/**
	 * {@code string.sub(s, i [, j])}: shares the subject's bytes, so nothing to bound.
	 */
	static final class Sub extends StringFunction {

		Sub(Supplier<StringBudget> budgets) {
			super("sub", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = checkString(args, 1);
			int length = s.length();
			long start = Math.max(relativePosition(checkInteger(args, 2), length), 1);
			long end = Math.min(relativePosition(optInteger(args, 3, -1), length), length);
			return start <= end ? s.substring((int) start - 1, (int) end) : EMPTYSTRING;
		}

	}

}
