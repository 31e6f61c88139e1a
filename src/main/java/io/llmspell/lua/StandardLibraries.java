package io.llmspell.lua;

import java.util.Random;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.luaj.vm2.lib.jse.JseOsLib;

import static io.llmspell.lua.LuaKeys.key;

/**
 * LuaJ's {@code math}, {@code table}, {@code bit32} and safe part of {@code os}, loaded
 * once. Their functions keep no state, so each run gets its own copy of each table
 * holding the same function objects instead of loading the library again (names encoded,
 * functions made, {@code bit32}'s by reflection, on every run). {@code math.random} and
 * {@code math.randomseed} are the run's own: a generator is state, and a seed set by one
 * run must not reach another.
 */
final class StandardLibraries {

	private static final LuaTable MATH;

	private static final LuaTable TABLE;

	private static final LuaTable BIT32;

	/**
	 * The part of {@code os} a spell gets: the clock and the calendar, nothing of the
	 * host.
	 */
	private static final LuaTable OS = new LuaTable();

	static {
		Globals scratch = new Globals();
		LuaTable packageTable = new LuaTable();
		packageTable.set(key("loaded"), new LuaTable());
		scratch.set(key("package"), packageTable);
		scratch.load(new Bit32Lib());
		scratch.load(new TableLib());
		scratch.load(new JseMathLib());
		scratch.load(new JseOsLib());
		for (String name : new String[] { "time", "clock", "date", "difftime" }) {
			OS.rawset(name, scratch.get("os").get(name));
		}
		MATH = (LuaTable) scratch.get("math");
		TABLE = (LuaTable) scratch.get("table");
		BIT32 = (LuaTable) scratch.get("bit32");
	}

	private StandardLibraries() {
	}

	static LuaTable table() {
		return copyOf(TABLE);
	}

	static LuaTable bit32() {
		return copyOf(BIT32);
	}

	/**
	 * {@code os.time}, {@code os.clock}, {@code os.date} and {@code os.difftime}, which
	 * keep no state (LuaJ's clock counts from when its class loaded, in every run alike).
	 */
	static LuaTable os() {
		return copyOf(OS);
	}

	static LuaTable math() {
		LuaTable math = copyOf(MATH);
		RunRandom random = new RunRandom();
		math.rawset(key("random"), LuaFunctions.named("random", random::next));
		math.rawset(key("randomseed"), LuaFunctions.named("randomseed", random::seed));
		return math;
	}

	private static LuaTable copyOf(LuaTable template) {
		LuaTable copy = new LuaTable(0, template.keyCount());
		LuaValue key = LuaValue.NIL;
		while (true) {
			Varargs entry = template.next(key);
			key = entry.arg1();
			if (key.isnil()) {
				return copy;
			}
			copy.rawset(key, entry.arg(2));
		}
	}

	/**
	 * A run's {@code math.random}: LuaJ's, argument checks and messages included, with a
	 * generator made when first used.
	 */
	private static final class RunRandom {

		private Random random;

		Varargs next(Varargs args) {
			Random generator = generator();
			switch (args.narg()) {
				case 0 -> {
					return LuaValue.valueOf(generator.nextDouble());
				}
				case 1 -> {
					int m = args.arg1().checkint();
					if (m < 1) {
						LuaValue.argerror(1, "interval is empty");
					}
					return LuaValue.valueOf(1 + generator.nextInt(m));
				}
				default -> {
					// as LuaJ's: arguments past the second are ignored
					int m = args.arg1().checkint();
					int n = args.arg(2).checkint();
					if (n < m) {
						LuaValue.argerror(2, "interval is empty");
					}
					return LuaValue.valueOf(m + generator.nextInt(n + 1 - m));
				}
			}
		}

		Varargs seed(Varargs args) {
			random = new Random(args.arg1().checklong());
			return LuaValue.NONE;
		}

		private Random generator() {
			if (random == null) {
				random = new Random();
			}
			return random;
		}

	}

}
