package io.llmspell.lua;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.UpValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;

import io.llmspell.lua.strings.LuaNumbers;

import static io.llmspell.lua.LuaKeys.key;

/**
 * Builds the Lua state of one run from LuaJ's individual libraries, never from
 * {@code standardGlobals()}: no {@code io}, {@code luajava}, {@code debug},
 * {@code dofile}, {@code loadfile}, {@code string.dump}, no {@code os} beyond time and
 * date, a {@code load} for text chunks only, and a {@code require} that finds nothing but
 * the spell's own modules.
 * <p>
 * LuaJ keeps the string metatable in one JVM-wide static. It is set here, once, to a
 * read-only table over a read-only string library; each run's {@code string} global is a
 * private copy, so whatever a run does to it stays in that run.
 */
final class LuaSandbox {

	/**
	 * The run whose Lua code is executing on this thread (and on the coroutine threads it
	 * starts).
	 */
	static final InheritableThreadLocal<RunGuard> CURRENT = new InheritableThreadLocal<>();

	private static final LuaTable SHARED_STRING_LIBRARY = SharedStringLibrary.shared();

	private static final int MAX_UNPACK = 1_000_000;

	/** The most characters one {@code os.date} conversion gives ({@code %c}: 24). */
	private static final int MAX_CONVERSION = 32;

	/**
	 * Results from this size on are reported to the guard (as the string library does).
	 */
	private static final long BIG_RESULT = 64 * 1024;

	private static final LuaTable STRING_METATABLE = stringMetatable();

	private LuaSandbox() {
	}

	/**
	 * Puts the read-only string metatable in place before a run, in case other code in
	 * the JVM (LuaJ's own {@code StringLib}, say) installed a mutable one.
	 */
	static void lockStringMetatable() {
		if (LuaString.s_metatable != STRING_METATABLE) {
			LuaString.s_metatable = STRING_METATABLE;
		}
	}

	private static LuaTable stringMetatable() {
		LuaTable metatable = new LuaTable();
		metatable.set(LuaValue.INDEX, SHARED_STRING_LIBRARY);
		return new ReadOnlyTable(metatable, "the string metatable");
	}

	static Globals create(LuaRun run, Globals globals) {
		LuaTable loaded = new LuaTable();
		LuaTable packageTable = new LuaTable();
		packageTable.set(key("loaded"), loaded);
		globals.set(key("package"), packageTable);

		globals.load(new BaseLib());
		globals.set(key("dofile"), LuaValue.NIL);
		globals.set(key("loadfile"), LuaValue.NIL);
		globals.set(key("print"), LuaFunctions.named("print", (args) -> {
			run.print(args);
			return LuaValue.NONE;
		}));
		globals.set(key("load"), LuaFunctions.named("load", (args) -> load(globals, run, args)));
		LuaValue tostring = globals.get(key("tostring"));
		globals.set(key("tostring"), LuaFunctions.named("tostring", (args) -> tostring(tostring, args.checkvalue(1))));
		globals.set(key("tonumber"), LuaFunctions.named("tonumber", LuaSandbox::tonumber));
		globals.set(key("_VERSION"), LuaValue.valueOf("Lua 5.2"));
		globals.set(key("collectgarbage"), LuaFunctions.named("collectgarbage", (args) -> {
			String option = args.optjstring(1, "collect");
			return "count".equals(option) ? LuaValue.valueOf(run.guard().heldBytes() / 1024.0) : LuaValue.ZERO;
		}));
		globals.set(key("require"),
				LuaFunctions.named("require", (args) -> require(globals, run, args.checkjstring(1))));

		globals.set(key("bit32"), StandardLibraries.bit32());
		globals.set(key("table"), StandardLibraries.table());
		guardTableLibrary(globals.get(key("table")), run);
		globals.set(key("math"), StandardLibraries.math());
		globals.load(new CoroutineLib());
		guardCoroutines(globals, run);
		LuaTable safeOs = StandardLibraries.os();
		guardDate(safeOs, run);
		globals.set(key("os"), safeOs);
		loaded.set(key("os"), safeOs);

		LuaTable string = SharedStringLibrary.forRun();
		globals.set(key("string"), string);
		loaded.set(key("string"), string);
		loaded.set(key("_G"), globals);
		loaded.set(key("package"), packageTable);
		for (String name : new String[] { "table", "math", "coroutine", "bit32" }) {
			loaded.set(name, globals.get(name));
		}

		globals.debuglib = run.guard();
		globals.running.errorfunc = run.errorHandler();
		return globals;
	}

	/**
	 * Instantiates a compiled chunk in the run's state, so the guard's hooks apply to it.
	 */
	static LuaClosure instantiate(Prototype prototype, Globals globals) {
		return new LuaClosure(prototype, globals);
	}

	/**
	 * Lua 5.2's {@code load(ld [, source [, mode [, env]]])} for text chunks: {@code ld}
	 * is a string or a reader function, the chunk is compiled from its bytes (8-bit
	 * clean), and every failure, the reader's errors too, is {@code nil, message}. The
	 * compiler checks the run's deadline and cancellation, and the chunk is bounded by
	 * the run's string size limit.
	 */
	private static Varargs load(Globals globals, LuaRun run, Varargs args) {
		LuaValue chunk = args.arg1();
		String mode = args.optjstring(3, "bt");
		LuaValue env = args.arg(4);
		if (chunk.type() != LuaValue.TSTRING && !chunk.isfunction()) {
			throw new LuaError("bad argument #1 to 'load' (string expected, got " + chunk.typename() + ")");
		}
		LuaString source;
		try {
			source = chunk.isfunction() ? read(chunk, run) : chunk.checkstring();
		}
		catch (LuaError ex) {
			return LuaFunctions.failure(String.valueOf(ex.getMessageObject().tojstring()));
		}
		if (source == null) {
			return LuaFunctions.failure("chunk too large (limit " + run.guard().maxStringSize() + " bytes)");
		}
		if (source.length() > 0 && source.luaByte(0) == '\033') {
			return LuaFunctions.failure("attempt to load a binary chunk (binary chunks are not allowed)");
		}
		if (!mode.contains("t")) {
			return LuaFunctions.failure("attempt to load a text chunk (mode is '" + mode + "')");
		}
		String chunkName = args.isnoneornil(2) ? (chunk.isfunction() ? "=(load)" : LuaCompiler.sourceName(source))
				: args.checkjstring(2);
		try {
			Prototype prototype = LuaCompiler.compile(source.toInputStream(), LuaCompiler.displayName(chunkName),
					run.guard()::checkpoint);
			LuaClosure closure = instantiate(prototype, globals);
			if (!env.isnil() && closure.upValues.length > 0) {
				// The closure keeps the run's Globals for its hooks; only its _ENV
				// changes.
				closure.upValues[0] = new UpValue(new LuaValue[] { env }, 0);
			}
			return closure;
		}
		catch (LuaError ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
		catch (IOException | RuntimeException ex) {
			// LuaJ's compiler fails on some input with a Java exception, not a syntax
			// error.
			return LuaFunctions.failure(LuaCompiler.displayName(chunkName)
					+ ": cannot compile the chunk (too large or too complex for the compiler)");
		}
	}

	/**
	 * The pieces a reader function returns until it returns nil or an empty string; null
	 * past the run's string size limit.
	 */
	private static LuaString read(LuaValue reader, LuaRun run) {
		ByteArrayOutputStream pieces = new ByteArrayOutputStream();
		while (true) {
			LuaValue piece = reader.call();
			if (piece.isnil()) {
				break;
			}
			if (piece.type() != LuaValue.TSTRING && piece.type() != LuaValue.TNUMBER) {
				throw new LuaError("reader function must return a string");
			}
			LuaString bytes = piece.checkstring();
			if (bytes.length() == 0) {
				break;
			}
			if (pieces.size() + (long) bytes.length() > run.guard().maxStringSize()) {
				return null;
			}
			pieces.write(bytes.m_bytes, bytes.m_offset, bytes.m_length);
			run.guard().checkpoint();
		}
		return LuaString.valueUsing(pieces.toByteArray());
	}

	/**
	 * Lua 5.2's {@code tostring}: a value without {@code __tostring} that has no text of
	 * its own shows its type and identity ({@code function: 0x1b6d3586}, and
	 * {@code function: builtin: 0x...} for a function of the runtime), not LuaJ's Java
	 * names.
	 */
	private static LuaValue tostring(LuaValue luajTostring, LuaValue value) {
		switch (value.type()) {
			case LuaValue.TFUNCTION, LuaValue.TTABLE, LuaValue.TTHREAD, LuaValue.TUSERDATA:
				if (value.metatag(LuaValue.TOSTRING).isnil()) {
					String builtin = (value.isfunction() && !value.isclosure()) ? "builtin: " : "";
					return LuaValue.valueOf(
							String.format("%s: %s0x%08x", value.typename(), builtin, System.identityHashCode(value)));
				}
				return luajTostring.call(value);
			default:
				return luajTostring.call(value);
		}
	}

	/**
	 * Lua 5.2's {@code tonumber(e [, base])}: decimal and hexadecimal numerals (with
	 * fraction and binary exponent) by default, integers in bases 2 to 36 with a base.
	 */
	private static Varargs tonumber(Varargs args) {
		LuaValue value = args.checkvalue(1);
		if (args.isnoneornil(2)) {
			if (value.type() == LuaValue.TNUMBER) {
				return value;
			}
			if (value.type() != LuaValue.TSTRING) {
				return LuaValue.NIL;
			}
			LuaString text = value.checkstring();
			return number(LuaNumbers.parse(text.m_bytes, text.m_offset, text.m_length));
		}
		int base = args.checkint(2);
		LuaString text = args.checkstring(1);
		if (base < 2 || base > 36) {
			throw new LuaError("bad argument #2 to 'tonumber' (base out of range)");
		}
		return number(LuaNumbers.parse(text.m_bytes, text.m_offset, text.m_length, base));
	}

	private static LuaValue number(double value) {
		return Double.isNaN(value) ? LuaValue.NIL : LuaValue.valueOf(value);
	}

	private static LuaValue require(Globals globals, LuaRun run, String name) {
		LuaValue loaded = globals.get(key("package")).get(key("loaded"));
		LuaValue cached = loaded.get(name);
		if (!cached.isnil()) {
			return cached;
		}
		Map<String, Prototype> modules = run.spell().modules();
		Prototype module = modules.get(name);
		if (module == null) {
			throw new LuaError("module '" + name + "' not found (require finds only the spell's own lib/ modules"
					+ (modules.isEmpty() ? "" : ": " + String.join(", ", modules.keySet())) + ")");
		}
		LuaValue result = instantiate(module, globals).call(LuaValue.valueOf(name));
		LuaValue value = result.isnil() ? LuaValue.TRUE : result;
		loaded.set(name, value);
		return value;
	}

	private static void guardTableLibrary(LuaValue table, LuaRun run) {
		table.set(key("concat"), LuaFunctions.named("concat", (args) -> concat(args, run.guard())));
		table.set(key("sort"), guardedSort(table.get(key("sort")), run));
		LuaValue unpack = table.get(key("unpack"));
		table.set(key("unpack"), LuaFunctions.named("unpack", (args) -> {
			LuaTable list = args.checktable(1);
			long from = args.optlong(2, 1);
			long to = args.isnoneornil(3) ? list.length() : args.checklong(3);
			if (to - from >= MAX_UNPACK) {
				throw new LuaError("too many results to unpack");
			}
			return unpack.invoke(args);
		}));
	}

	/**
	 * {@code os.date} builds its result in Java: each conversion gives at most a few
	 * dozen characters, so a format that could give more than {@code max-string-size} is
	 * refused before any work.
	 */
	private static void guardDate(LuaTable os, LuaRun run) {
		LuaValue date = os.get(key("date"));
		os.set(key("date"), LuaFunctions.named("date", (args) -> {
			if (args.arg1().isstring()) {
				LuaString format = args.arg1().checkstring();
				long conversions = 0;
				for (int i = 0; i < format.m_length; i++) {
					if (format.m_bytes[format.m_offset + i] == '%') {
						conversions++;
					}
				}
				long bound = format.m_length + MAX_CONVERSION * conversions;
				if (bound > run.guard().maxStringSize()) {
					throw run.guard().stringTooLarge("os.date", bound);
				}
				run.guard().allocated(bound);
			}
			return date.invoke(args);
		}));
	}

	/**
	 * {@code table.sort} compares in Java: its comparison (the given one or {@code <})
	 * goes through a function that checks the run's deadline every thousand calls.
	 */
	private static LuaValue guardedSort(LuaValue sort, LuaRun run) {
		return LuaFunctions.named("sort", (args) -> {
			LuaTable list = args.checktable(1);
			LuaValue order = args.arg(2);
			if (!order.isnil()) {
				order.checkfunction();
			}
			int[] calls = { 0 };
			LuaValue compare = LuaFunctions.named("sort comparison", (pair) -> {
				if ((++calls[0] & 0x3ff) == 0) {
					run.guard().checkpoint();
				}
				return order.isnil() ? LuaValue.valueOf(pair.arg1().lt_b(pair.arg(2)))
						: order.call(pair.arg1(), pair.arg(2));
			});
			return sort.invoke(LuaValue.varargsOf(list, compare));
		});
	}

	/**
	 * Lua 5.2's {@code table.concat(list [, sep [, i [, j]]])}, sized before it builds: a
	 * result over the run's string size limit ends the run with that limit. (LuaJ's own
	 * loops forever when {@code j} is the largest integer.)
	 */
	private static LuaValue concat(Varargs args, RunGuard guard) {
		LuaTable list = args.checktable(1);
		LuaString separator = args.isnoneornil(2) ? LuaString.valueOf("") : args.checkstring(2);
		long from = args.isnoneornil(3) ? 1 : args.checkint(3);
		long to = args.isnoneornil(4) ? list.length() : args.checkint(4);
		if (from > to) {
			return LuaValue.EMPTYSTRING;
		}
		long size = (to - from) * separator.length();
		if (size > guard.maxStringSize()) {
			throw guard.stringTooLarge("table.concat", size);
		}
		for (long i = from; i <= to; i++) {
			size += item(list, i).length();
			if (size > guard.maxStringSize()) {
				throw guard.stringTooLarge("table.concat", size);
			}
			if ((i & 0xfff) == 0) {
				guard.checkpoint();
			}
		}
		byte[] result = new byte[(int) size];
		int at = 0;
		for (long i = from; i <= to; i++) {
			LuaString item = item(list, i);
			System.arraycopy(item.m_bytes, item.m_offset, result, at, item.m_length);
			at += item.m_length;
			if (i < to) {
				System.arraycopy(separator.m_bytes, separator.m_offset, result, at, separator.m_length);
				at += separator.m_length;
			}
			if ((i & 0xfff) == 0) {
				guard.checkpoint();
			}
		}
		if (size >= BIG_RESULT) {
			guard.allocated(size);
		}
		return LuaString.valueUsing(result);
	}

	private static LuaString item(LuaTable list, long index) {
		LuaValue item = list.rawget((int) index);
		if (!item.isstring()) {
			throw new LuaError("invalid value (at index " + index + ") in table for 'concat'");
		}
		return item.strvalue();
	}

	private static void guardCoroutines(Globals globals, LuaRun run) {
		LuaValue coroutine = globals.get(key("coroutine"));
		coroutine.set(key("create"), LuaFunctions.named("create", (args) -> run.newCoroutine(args.checkfunction(1))));
		coroutine.set(key("wrap"), LuaFunctions.named("wrap", (args) -> {
			Coroutine thread = run.newCoroutine(args.checkfunction(1));
			return LuaFunctions.named("wrap", (resumeArgs) -> {
				Varargs result = thread.resume(resumeArgs);
				if (result.arg1().toboolean()) {
					return result.subargs(2);
				}
				run.guard().checkpoint();
				throw new LuaError(result.arg(2));
			});
		}));
		// LuaJ's yield waits in the synchronized handoff of its own LuaThread; ours is
		// Coroutine's
		coroutine.set(key("yield"), LuaFunctions.named("yield", (args) -> {
			if (globals.running instanceof Coroutine running) {
				return running.yield(args);
			}
			throw new LuaError("attempt to yield from outside a coroutine");
		}));
	}

}
