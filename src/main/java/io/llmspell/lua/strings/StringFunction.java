package io.llmspell.lua.strings;

import java.util.function.Supplier;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Base of the library's functions: a name for error messages, Lua 5.2 style argument
 * checks, and access to the current run's {@link StringBudget}.
 *
 * <p>
 * Instances are shared by every run, so subclasses keep no state besides the supplier.
 */
abstract class StringFunction extends VarArgFunction {

	/** Results this large are reported to {@link StringBudget#allocated(long)}. */
	static final int REPORT_THRESHOLD = 64 * 1024;

	/** The largest Java array the JVM reliably allocates. */
	static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

	private final Supplier<StringBudget> budgets;

	StringFunction(String name, Supplier<StringBudget> budgets) {
		this.name = name;
		this.budgets = budgets;
	}

	/** The function's name in the {@code string} table, also shown in tracebacks. */
	@Override
	public String name() {
		return name;
	}

	StringBudget budget() {
		StringBudget budget = budgets.get();
		if (budget == null) {
			throw new IllegalStateException("string." + name + " called outside a run: no StringBudget");
		}
		return budget;
	}

	/** The largest result this function may build under {@code budget}. */
	static long limit(StringBudget budget) {
		return Math.min(budget.maxStringSize(), MAX_ARRAY);
	}

	/**
	 * Checks that a result of {@code size} bytes is allowed and reports it when large;
	 * call before allocating it.
	 */
	void reserve(long size, StringBudget budget) {
		if (size > limit(budget)) {
			throw tooLarge(Long.toString(size), budget);
		}
		if (size >= REPORT_THRESHOLD) {
			budget.allocated(size);
		}
	}

	LuaError tooLarge(String size, StringBudget budget) {
		budget.tooLarge("string." + name, size);
		return new LuaError(
				"string." + name + ": result too large (" + size + " bytes, limit " + budget.maxStringSize() + ")");
	}

	// ---- arguments, with Lua 5.2's messages ----

	LuaError argError(int arg, String message) {
		return new LuaError("bad argument #" + arg + " to '" + name + "' (" + message + ")");
	}

	LuaError typeError(Varargs args, int arg, String expected) {
		String got = arg > args.narg() ? "no value" : args.arg(arg).typename();
		return argError(arg, expected + " expected, got " + got);
	}

	LuaString checkString(Varargs args, int arg) {
		LuaValue v = args.arg(arg);
		if (!v.isstring()) { // strings and numbers
			throw typeError(args, arg, "string");
		}
		return v.strvalue();
	}

	LuaString optString(Varargs args, int arg, LuaString defaultValue) {
		return args.arg(arg).isnil() ? defaultValue : checkString(args, arg);
	}

	/**
	 * An integer argument as a long; fractions truncate, huge values saturate, NaN is 0.
	 */
	long checkInteger(Varargs args, int arg) {
		LuaValue n = args.arg(arg).tonumber();
		if (n.isnil()) {
			throw typeError(args, arg, "number");
		}
		return n.isinttype() ? n.toint() : (long) n.todouble();
	}

	long optInteger(Varargs args, int arg, long defaultValue) {
		return args.arg(arg).isnil() ? defaultValue : checkInteger(args, arg);
	}

	/**
	 * Lua's relative string position: negative counts from the end; 0 stays before the
	 * start.
	 */
	static long relativePosition(long pos, int length) {
		if (pos >= 0) {
			return pos;
		}
		return (pos < -(long) length) ? 0 : length + pos + 1;
	}

}
