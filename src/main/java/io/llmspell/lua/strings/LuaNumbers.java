package io.llmspell.lua.strings;

import java.nio.charset.StandardCharsets;

/**
 * Numbers to strings and back as Lua 5.2 converts them: {@code tostring}, {@code ..},
 * {@code print} and {@code %s} write a number with {@code "%.14g"} ({@code 1/3} is
 * {@code 0.33333333333333}, {@code 10^100} is {@code 1e+100}, {@code 3.0} is {@code 3},
 * infinities {@code inf} and {@code -inf}, not-a-number {@code nan} or {@code -nan} after
 * its sign bit); {@code tonumber} reads decimal and hexadecimal numerals (with a fraction
 * and a binary exponent, {@code 0x1p4}) between white space, and integers in the bases 2
 * to 36.
 * <p>
 * LuaJ's own number-to-string conversion goes through {@code LuaDouble.tojstring()},
 * which llmspell shadows to call {@link #format}; reuse {@link #format} wherever a Lua
 * number is written as text.
 */
public final class LuaNumbers {

	/** Below this, an integral value has at most 14 digits: "%.14g" prints it whole. */
	private static final double WHOLE_BELOW = 1e14;

	private LuaNumbers() {
	}

	/** {@code value} as Lua 5.2 writes it ({@code LUAI_NUMFFORMAT}, "%.14g"). */
	public static String format(double value) {
		if (value == (long) value && Math.abs(value) < WHOLE_BELOW) {
			if (value == 0 && Double.doubleToRawLongBits(value) < 0) {
				return "-0";
			}
			return Long.toString((long) value);
		}
		boolean negative = Double.doubleToRawLongBits(value) < 0;
		if (Double.isNaN(value)) {
			return negative ? "-nan" : "nan";
		}
		if (Double.isInfinite(value)) {
			return negative ? "-inf" : "inf";
		}
		String body = CFormat.general(Math.abs(value), 14, false, false);
		return negative ? "-" + body : body;
	}

	/**
	 * Lua 5.2's {@code luaO_str2d}: a decimal or hexadecimal numeral, optionally signed,
	 * with white space around it; NaN when {@code text} is not one ("inf" and "nan" are
	 * not numerals).
	 */
	public static double parse(byte[] text, int offset, int length) {
		int end = offset + length;
		int i = skipSpace(text, offset, end);
		int j = end;
		while (j > i && isSpace(text[j - 1])) {
			j--;
		}
		if (i >= j) {
			return Double.NaN;
		}
		int start = i;
		if (text[i] == '-' || text[i] == '+') {
			i++;
		}
		if (i + 1 < j && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
			return hexadecimal(text, start, i + 2, j);
		}
		return decimal(text, start, i, j);
	}

	/**
	 * {@code tonumber(s, base)} in Lua 5.2: an optionally signed integer numeral in
	 * {@code base} (2 to 36), white space around it; NaN when it is not one.
	 */
	public static double parse(byte[] text, int offset, int length, int base) {
		int end = offset + length;
		int i = skipSpace(text, offset, end);
		boolean negative = false;
		if (i < end && (text[i] == '-' || text[i] == '+')) {
			negative = text[i] == '-';
			i++;
		}
		if (i >= end || !isAlnum(text[i])) {
			return Double.NaN;
		}
		double n = 0;
		while (i < end && isAlnum(text[i])) {
			int c = text[i];
			int digit = (c >= '0' && c <= '9') ? c - '0' : Character.toUpperCase(c) - 'A' + 10;
			if (digit >= base) {
				return Double.NaN;
			}
			n = n * base + digit;
			i++;
		}
		return (skipSpace(text, i, end) == end) ? (negative ? -n : n) : Double.NaN;
	}

	/**
	 * {@code [sign] (digits [. digits] | . digits) [(e|E) [sign] digits]}, as C's
	 * {@code strtod} reads it; Java's parser rounds the same way (correctly).
	 */
	private static double decimal(byte[] text, int start, int i, int end) {
		int digits = 0;
		while (i < end && isDigit(text[i])) {
			i++;
			digits++;
		}
		if (i < end && text[i] == '.') {
			i++;
			while (i < end && isDigit(text[i])) {
				i++;
				digits++;
			}
		}
		if (digits == 0) {
			return Double.NaN;
		}
		if (i < end && (text[i] == 'e' || text[i] == 'E')) {
			i++;
			if (i < end && (text[i] == '-' || text[i] == '+')) {
				i++;
			}
			int exponentDigits = 0;
			while (i < end && isDigit(text[i])) {
				i++;
				exponentDigits++;
			}
			if (exponentDigits == 0) {
				return Double.NaN;
			}
		}
		if (i != end) {
			return Double.NaN;
		}
		return Double.parseDouble(new String(text, start, end - start, StandardCharsets.ISO_8859_1));
	}

	/**
	 * {@code [sign] 0x (hexdigits [. hexdigits] | . hexdigits) [(p|P) [sign] digits]};
	 * Java reads the same numeral when it has an exponent, so one is added where absent.
	 */
	private static double hexadecimal(byte[] text, int start, int i, int end) {
		int digits = 0;
		while (i < end && isHexDigit(text[i])) {
			i++;
			digits++;
		}
		if (i < end && text[i] == '.') {
			i++;
			while (i < end && isHexDigit(text[i])) {
				i++;
				digits++;
			}
		}
		if (digits == 0) {
			return Double.NaN;
		}
		boolean exponent = false;
		if (i < end && (text[i] == 'p' || text[i] == 'P')) {
			i++;
			if (i < end && (text[i] == '-' || text[i] == '+')) {
				i++;
			}
			int exponentDigits = 0;
			while (i < end && isDigit(text[i])) {
				i++;
				exponentDigits++;
			}
			if (exponentDigits == 0) {
				return Double.NaN;
			}
			exponent = true;
		}
		if (i != end) {
			return Double.NaN;
		}
		String numeral = new String(text, start, end - start, StandardCharsets.ISO_8859_1);
		return Double.parseDouble(exponent ? numeral : numeral + "p0");
	}

	private static int skipSpace(byte[] text, int i, int end) {
		while (i < end && isSpace(text[i])) {
			i++;
		}
		return i;
	}

	/** C's {@code isspace} in the C locale. */
	private static boolean isSpace(byte c) {
		return c == ' ' || (c >= '\t' && c <= '\r');
	}

	private static boolean isDigit(byte c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isHexDigit(byte c) {
		return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private static boolean isAlnum(byte c) {
		return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

}
