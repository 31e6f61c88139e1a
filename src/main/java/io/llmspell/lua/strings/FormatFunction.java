package io.llmspell.lua.strings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code string.format} with Lua 5.2's rules and C's ({@code printf}) output, formatted
 * by {@link CFormat}.
 *
 * <p>
 * A first pass parses the format and checks and converts every argument (in order, so the
 * first bad one is reported, as in Lua), giving an upper bound of the result size that is
 * checked against the budget; only then is the result built. The bound is cheap and tight
 * enough: widths and precisions have at most two digits, a number never takes more than a
 * few hundred bytes, a {@code %s} takes its argument's length and a {@code %q} is
 * measured byte by byte.
 */
final class FormatFunction extends StringFunction {

	/** A formatted number: {@code %.99f} of 1e308 has about 410 characters. */
	private static final int MAX_NUMBER = 512;

	/**
	 * What the buffer starts with for a formatted number: most are short, and the buffer
	 * grows for the rest.
	 */
	private static final int USUAL_NUMBER = 12;

	private static final String FLAGS = "-+ #0";

	/** A conversion, its argument converted, and where it ends in the format. */
	private static final class Item {

		final CFormat.Spec spec = new CFormat.Spec();

		int end;

		double number;

		long integer;

		LuaString string;

	}

	FormatFunction(Supplier<StringBudget> budgets) {
		super("format", budgets);
	}

	@Override
	public Varargs invoke(Varargs args) {
		LuaString format = checkString(args, 1);
		int top = args.narg();
		int n = format.length();
		List<Item> items = new ArrayList<>();
		long bound = n; // the literal text: the format less its "%%"s and conversions
		long usual = n; // the same with numbers of usual length: the buffer's first size
		int arg = 1;
		for (int i = 0; i < n;) {
			if (format.luaByte(i++) != '%') {
				continue;
			}
			if (i < n && format.luaByte(i) == '%') {
				i++;
				bound--;
				usual--;
				continue;
			}
			if (++arg > top) {
				throw argError(arg, "no value"); // Lua checks this before reading the
													// conversion
			}
			Item item = new Item();
			int start = i - 1;
			i = parseSpec(format, i, item.spec);
			item.end = i;
			int spec = i - start;
			long most = convert(args, arg, item);
			bound += Math.max(item.spec.width, most) - spec;
			usual += Math.max(item.spec.width, (most == MAX_NUMBER) ? USUAL_NUMBER : most) - spec;
			items.add(item);
		}
		StringBudget budget = budget();
		long limit = limit(budget);
		if (bound > limit) {
			throw tooLarge("up to " + bound, budget);
		}
		BoundedBuffer out = new BoundedBuffer((int) Math.min(usual, 1 << 16), limit, "string.format", budget);
		int next = 0;
		for (int i = 0; i < n;) {
			int c = format.luaByte(i++);
			if (c != '%') {
				out.append(c);
			}
			else if (format.luaByte(i) == '%') { // the first pass saw every '%' followed
													// by something
				out.append('%');
				i++;
			}
			else {
				Item item = items.get(next++);
				render(item, out);
				i = item.end;
			}
		}
		LuaString result = out.toLuaString();
		if (result.length() >= REPORT_THRESHOLD) {
			budget.allocated(result.length());
		}
		return result;
	}

	/**
	 * Lua 5.2's {@code scanformat}: up to five flag characters, then at most two digits
	 * of width and, after a '.', at most two of precision; sets the conversion and
	 * returns the index after it.
	 */
	private static int parseSpec(LuaString format, int i, CFormat.Spec spec) {
		int n = format.length();
		int start = i;
		while (i < n && FLAGS.indexOf(format.luaByte(i)) >= 0) {
			switch (format.luaByte(i++)) {
				case '-':
					spec.left = true;
					break;
				case '+':
					spec.plus = true;
					break;
				case ' ':
					spec.space = true;
					break;
				case '#':
					spec.alt = true;
					break;
				default:
					spec.zero = true;
					break;
			}
		}
		if (i - start > FLAGS.length()) {
			throw new LuaError("invalid format (repeated flags)");
		}
		int digits = 0;
		while (digits < 2 && isDigit(format, i)) {
			spec.width = spec.width * 10 + format.luaByte(i++) - '0';
			digits++;
		}
		if (i < n && format.luaByte(i) == '.') {
			i++;
			spec.precision = 0;
			digits = 0;
			while (digits < 2 && isDigit(format, i)) {
				spec.precision = spec.precision * 10 + format.luaByte(i++) - '0';
				digits++;
			}
		}
		if (isDigit(format, i)) {
			throw new LuaError("invalid format (width or precision too long)");
		}
		// At the end of the format C reads the terminating '\0': an invalid option.
		spec.conversion = (char) (i < n ? format.luaByte(i) : 0);
		return i + 1;
	}

	private static boolean isDigit(LuaString s, int i) {
		return i < s.length() && s.luaByte(i) >= '0' && s.luaByte(i) <= '9';
	}

	/**
	 * Checks and converts argument {@code arg} for the item's conversion; returns an
	 * upper bound of its size before padding.
	 */
	private long convert(Varargs args, int arg, Item item) {
		char conversion = item.spec.conversion;
		switch (conversion) {
			case 'c': {
				double d = checkNumber(args, arg);
				// luaL_checkint truncates; out of range, x86 gives the "integer
				// indefinite" 2^63, whose low byte is 0
				item.integer = CFormat.fitsSigned(d) ? (long) d : Long.MIN_VALUE;
				return 1;
			}
			case 'd':
			case 'i': {
				double d = checkNumber(args, arg);
				if (!CFormat.fitsSigned(d)) {
					throw argError(arg, "not a number in proper range");
				}
				item.integer = (long) d; // Lua 5.2 truncates fractions
				return MAX_NUMBER;
			}
			case 'o':
			case 'u':
			case 'x':
			case 'X': {
				double d = checkNumber(args, arg);
				if (!CFormat.fitsUnsigned(d)) {
					throw argError(arg, "not a non-negative number in proper range");
				}
				item.integer = CFormat.toUnsigned(d);
				return MAX_NUMBER;
			}
			case 'e':
			case 'E':
			case 'f':
			case 'g':
			case 'G':
			case 'a':
			case 'A':
				item.number = checkNumber(args, arg);
				return MAX_NUMBER;
			case 'q':
				item.string = checkString(args, arg);
				return quotedSize(item.string);
			case 's': {
				LuaString s = toLuaString(args, arg);
				item.string = s;
				int precision = item.spec.precision;
				return (precision >= 0) ? Math.min(precision, s.length()) : s.length();
			}
			default:
				throw new LuaError("invalid option '%" + conversion + "' to 'format'");
		}
	}

	private double checkNumber(Varargs args, int arg) {
		LuaValue n = args.arg(arg).tonumber();
		if (n.isnil()) {
			throw typeError(args, arg, "number");
		}
		return n.todouble();
	}

	private static void render(Item item, BoundedBuffer out) {
		CFormat.Spec spec = item.spec;
		switch (spec.conversion) {
			case 'c':
				padded(spec, item.string, (int) item.integer & 0xFF, out);
				break;
			case 'd':
			case 'i':
				ascii(CFormat.signed(spec, item.integer), out);
				break;
			case 'o':
			case 'u':
			case 'x':
			case 'X':
				ascii(CFormat.unsigned(spec, item.integer), out);
				break;
			case 'q':
				quote(item.string, out);
				break;
			case 's':
				padded(spec, item.string, -1, out);
				break;
			default:
				ascii(CFormat.floating(spec, item.number), out);
				break;
		}
	}

	/**
	 * {@code %s} (a string, cut to the precision) or {@code %c} (one byte), padded with
	 * spaces: '0' does not apply.
	 */
	private static void padded(CFormat.Spec spec, LuaString s, int singleByte, BoundedBuffer out) {
		int length = (singleByte >= 0) ? 1 : (spec.precision >= 0) ? Math.min(spec.precision, s.length()) : s.length();
		int fill = spec.width - length;
		for (int k = 0; !spec.left && k < fill; k++) {
			out.append(' ');
		}
		if (singleByte >= 0) {
			out.append(singleByte);
		}
		else {
			out.append(s.m_bytes, s.m_offset, length);
		}
		for (int k = 0; spec.left && k < fill; k++) {
			out.append(' ');
		}
	}

	private static void ascii(String s, BoundedBuffer out) {
		for (int k = 0, n = s.length(); k < n; k++) {
			out.append(s.charAt(k));
		}
	}

	/**
	 * Lua 5.2's {@code %q}: escapes '"', '\\' and newline (as backslash-newline); other
	 * control characters and '\0' become {@code \ddd}, with as few digits as possible
	 * unless a digit follows; bytes from 128 up are kept.
	 */
	private static void quote(LuaString s, BoundedBuffer out) {
		out.append('"');
		for (int k = 0, n = s.length(); k < n; k++) {
			int c = s.luaByte(k);
			if (c == '"' || c == '\\' || c == '\n') {
				out.append('\\');
				out.append(c);
			}
			else if (c <= 0x1F || c == 0x7F) {
				boolean digitFollows = k + 1 < n && s.luaByte(k + 1) >= '0' && s.luaByte(k + 1) <= '9';
				ascii(digitFollows ? String.format(Locale.ROOT, "\\%03d", c) : "\\" + c, out);
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

	/**
	 * Lua 5.2's {@code luaL_tolstring}: {@code %s} accepts any value, honouring
	 * {@code __tostring}.
	 */
	private LuaString toLuaString(Varargs args, int arg) {
		LuaValue v = args.arg(arg);
		if (v.isstring()) {
			return v.strvalue();
		}
		LuaValue handler = v.metatag(TOSTRING);
		if (!handler.isnil()) {
			LuaValue s = handler.call(v);
			if (!s.isstring()) {
				throw new LuaError("'__tostring' must return a string");
			}
			return s.strvalue();
		}
		return valueOf(v.tojstring());
	}

	/**
	 * Upper bound of the {@code %q} rendering: a control character takes up to four
	 * bytes.
	 */
	private static long quotedSize(LuaString s) {
		long size = 2;
		for (int i = 0, n = s.length(); i < n; i++) {
			int c = s.luaByte(i);
			if (c == '"' || c == '\\' || c == '\n') {
				size += 2;
			}
			else if (c <= 0x1F || c == 0x7F) {
				size += 4;
			}
			else {
				size += 1;
			}
		}
		return size;
	}

}
