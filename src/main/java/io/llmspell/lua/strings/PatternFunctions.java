package io.llmspell.lua.strings;

import java.util.function.Supplier;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.find}, {@code match}, {@code gmatch} and {@code gsub} on top of
 * {@link MatchState}, as in Lua 5.2.
 */
final class PatternFunctions {

	private static final int CHECKPOINT_INTERVAL = 4096;

	private PatternFunctions() {
	}

	/**
	 * {@code string.find(s, pattern [, init [, plain]])} and
	 * {@code string.match(s, pattern [, init])}.
	 */
	static final class Find extends StringFunction {

		private final boolean find;

		Find(String name, boolean find, Supplier<StringBudget> budgets) {
			super(name, budgets);
			this.find = find;
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString s = checkString(args, 1);
			LuaString pattern = checkString(args, 2);
			int length = s.length();
			long init = relativePosition(optInteger(args, 3, 1), length);
			if (init < 1) {
				init = 1;
			}
			else if (init > length + 1) { // starts after the end: nothing to find (Lua
											// 5.2)
				return NIL;
			}
			StringBudget budget = budget();
			int start = (int) init - 1;
			if (find && (args.arg(4).toboolean() || noSpecials(pattern))) {
				int at = plainFind(s, start, pattern, budget);
				return at < 0 ? NIL : varargsOf(valueOf(at + 1), valueOf(at + pattern.length()));
			}
			boolean anchor = pattern.length() > 0 && pattern.luaByte(0) == '^';
			MatchState ms = new MatchState(s, pattern, anchor ? 1 : 0, budget);
			do {
				int end = ms.matchAt(start);
				if (end != -1) {
					return find ? varargsOf(valueOf(start + 1), valueOf(end), ms.captures(false, start, end))
							: ms.captures(true, start, end);
				}
			}
			while (start++ < length && !anchor);
			return NIL;
		}

	}

	/**
	 * {@code string.gmatch(s, pattern)}: an iterator over the matches (a leading '^' is
	 * literal, as in Lua 5.2).
	 */
	static final class Gmatch extends StringFunction {

		Gmatch(Supplier<StringBudget> budgets) {
			super("gmatch", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			return new Iterator(checkString(args, 1), checkString(args, 2), this);
		}

		/** One iteration's state; created per call, so it may hold a position. */
		private static final class Iterator extends VarArgFunction {

			private final LuaString s;

			private final LuaString pattern;

			private final Gmatch owner;

			private int position;

			Iterator(LuaString s, LuaString pattern, Gmatch owner) {
				this.s = s;
				this.pattern = pattern;
				this.owner = owner;
				this.name = "gmatch_aux";
			}

			@Override
			public Varargs invoke(Varargs args) {
				// The budget is looked up per call: it belongs to whichever run calls the
				// iterator.
				MatchState ms = new MatchState(s, pattern, 0, owner.budget());
				for (int start = position; start <= s.length(); start++) {
					int end = ms.matchAt(start);
					if (end != -1) {
						position = (end == start) ? end + 1 : end; // step past an empty
																	// match
						return ms.captures(true, start, end);
					}
				}
				position = s.length() + 1;
				return NIL;
			}

		}

	}

	/** {@code string.gsub(s, pattern, repl [, n])}. */
	static final class Gsub extends StringFunction {

		Gsub(Supplier<StringBudget> budgets) {
			super("gsub", budgets);
		}

		@Override
		public Varargs invoke(Varargs args) {
			LuaString src = checkString(args, 1);
			LuaString pattern = checkString(args, 2);
			LuaValue repl = args.arg(3);
			switch (repl.type()) {
				case TNUMBER:
				case TSTRING:
				case TFUNCTION:
				case TTABLE:
					break;
				default:
					throw argError(3, "string/function/table expected");
			}
			int srcLength = src.length();
			long maxReplacements = optInteger(args, 4, srcLength + 1L);
			boolean anchor = pattern.length() > 0 && pattern.luaByte(0) == '^';
			StringBudget budget = budget();
			Replacer replacer = new Replacer(src, repl);
			BoundedBuffer out = new BoundedBuffer(srcLength, limit(budget), "string.gsub", budget);
			MatchState ms = new MatchState(src, pattern, anchor ? 1 : 0, budget);
			int position = 0;
			int count = 0;
			while (count < maxReplacements) {
				ms.tick(); // the loop itself is work too, e.g. with an empty pattern
				int end = ms.matchAt(position);
				if (end != -1) {
					count++;
					replacer.add(out, ms, position, end);
				}
				if (end != -1 && end > position) {
					position = end;
				}
				else if (position < srcLength) {
					out.append(src.luaByte(position++));
				}
				else {
					break;
				}
				if (anchor) {
					break;
				}
			}
			out.append(src.m_bytes, src.m_offset + position, srcLength - position);
			if (out.length() >= REPORT_THRESHOLD) {
				budget.allocated(out.length());
			}
			return varargsOf(out.toLuaString(), valueOf(count));
		}

	}

	/** Appends the replacement of one match, as Lua 5.2's {@code add_value}. */
	private static final class Replacer {

		private final LuaString src;

		private final LuaValue repl;

		private final LuaString template; // non-null for string and number replacements

		private final boolean plainTemplate;

		Replacer(LuaString src, LuaValue repl) {
			this.src = src;
			this.repl = repl;
			boolean isTemplate = repl.type() == LuaValue.TSTRING || repl.type() == LuaValue.TNUMBER;
			this.template = isTemplate ? repl.strvalue() : null;
			this.plainTemplate = isTemplate && template.indexOf((byte) '%', 0) < 0;
		}

		void add(BoundedBuffer out, MatchState ms, int start, int end) {
			if (template != null) {
				if (plainTemplate) {
					out.append(template);
				}
				else {
					addTemplate(out, ms, start, end);
				}
				return;
			}
			LuaValue value = (repl.type() == LuaValue.TFUNCTION) ? repl.invoke(ms.captures(true, start, end)).arg1()
					: repl.get(ms.capture(0, start, end));
			if (!value.toboolean()) { // nil or false: keep the original text
				out.append(src.m_bytes, src.m_offset + start, end - start);
			}
			else if (value.isstring()) {
				out.append(value.strvalue());
			}
			else {
				throw new LuaError("invalid replacement value (a " + value.typename() + ")");
			}
		}

		/**
		 * A replacement string: {@code %0}-{@code %9} insert captures, {@code %%} a
		 * percent sign.
		 */
		private void addTemplate(BoundedBuffer out, MatchState ms, int start, int end) {
			int length = template.length();
			for (int i = 0; i < length; i++) {
				int c = template.luaByte(i);
				if (c != '%') {
					out.append(c);
					continue;
				}
				int d = (++i < length) ? template.luaByte(i) : 0;
				if (d == '%') {
					out.append('%');
				}
				else if (!CharClass.isDigit(d)) {
					throw new LuaError("invalid use of '%' in replacement string");
				}
				else if (d == '0') {
					out.append(src.m_bytes, src.m_offset + start, end - start);
				}
				else {
					out.append(ms.capture(d - '1', start, end).strvalue());
				}
			}
		}

	}

	private static final LuaString SPECIALS = LuaValue.valueOf("^$*+?.([%-");

	static boolean noSpecials(LuaString pattern) {
		return pattern.indexOfAny(SPECIALS) < 0;
	}

	/**
	 * Plain substring search from {@code from}, with checkpoints: a naive search can be
	 * quadratic.
	 */
	static int plainFind(LuaString s, int from, LuaString needle, StringBudget budget) {
		int m = needle.length();
		if (m == 0) {
			return from;
		}
		byte[] a = s.m_bytes;
		byte[] b = needle.m_bytes;
		int ao = s.m_offset;
		int bo = needle.m_offset;
		byte first = b[bo];
		int last = s.length() - m;
		int fuel = CHECKPOINT_INTERVAL;
		for (int i = from; i <= last; i++) {
			if (a[ao + i] != first) {
				if (--fuel <= 0) {
					fuel = CHECKPOINT_INTERVAL;
					budget.checkpoint();
				}
				continue;
			}
			int k = 1;
			while (k < m && a[ao + i + k] == b[bo + k]) {
				k++;
			}
			if (k == m) {
				return i;
			}
			fuel -= k;
			if (fuel <= 0) {
				fuel = CHECKPOINT_INTERVAL;
				budget.checkpoint();
			}
		}
		return -1;
	}

}
