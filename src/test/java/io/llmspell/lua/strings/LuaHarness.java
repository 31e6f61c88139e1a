package io.llmspell.lua.strings;

import java.util.ArrayList;
import java.util.List;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Globals with the bounded library (or LuaJ's original one), and helpers to run snippets.
 */
final class LuaHarness {

	/** The sandbox keeps the budget in a thread-local; so do the tests. */
	static final ThreadLocal<StringBudget> CURRENT = new ThreadLocal<>();
	static final BoundedStringLib LIBRARY = new BoundedStringLib(CURRENT::get);

	private LuaHarness() {
	}

	/**
	 * Standard globals whose {@code string} is ours; also makes it the (JVM-wide) string
	 * metatable's __index.
	 */
	static Globals boundedGlobals() {
		Globals globals = JsePlatform.standardGlobals();
		LuaTable string = LIBRARY.newTable();
		globals.set("string", string);
		globals.get("package").get("loaded").set("string", string);
		LuaString.s_metatable = LuaValue.tableOf(new LuaValue[] { LuaValue.INDEX, string });
		return globals;
	}

	/**
	 * Standard globals with LuaJ's own {@code string}; use {@code string.f(...)}, not
	 * method syntax.
	 */
	static Globals originalGlobals() {
		return JsePlatform.standardGlobals();
	}

	static Varargs run(Globals globals, StringBudget budget, String code) {
		CURRENT.set(budget);
		try {
			return globals.load(code).invoke();
		}
		finally {
			CURRENT.remove();
		}
	}

	/** Runs {@code code} with a generous budget. */
	static Varargs run(Globals globals, String code) {
		return run(globals, TestBudget.of(16 << 20), code);
	}

	/**
	 * The message of the Lua error that {@code code} raises (plain value, without
	 * position), via pcall.
	 */
	static String errorOf(Globals globals, StringBudget budget, String code) {
		Varargs result = run(globals, budget, "return pcall(function() " + code + " end)");
		if (result.arg1().toboolean()) {
			throw new AssertionError("expected a Lua error from: " + code);
		}
		return result.arg(2).tojstring();
	}

	static String errorOf(Globals globals, String code) {
		return errorOf(globals, TestBudget.of(16 << 20), code);
	}

	/** Results as "type:value" strings, for readable comparisons. */
	static List<String> describe(Varargs values) {
		List<String> out = new ArrayList<>();
		for (int i = 1; i <= values.narg(); i++) {
			LuaValue v = values.arg(i);
			out.add(v.typename() + ":" + v.tojstring());
		}
		return out;
	}

}
