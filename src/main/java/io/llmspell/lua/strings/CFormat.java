package io.llmspell.lua.strings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * C {@code printf} conversions as glibc performs them, for {@code string.format}: the
 * numbers are rendered here, by hand, because {@link java.util.Formatter} differs from C
 * in ways that show ({@code %g} chooses its style and keeps trailing zeros differently,
 * {@code %.2f} rounds half up from the shortest decimal rather than from the exact binary
 * value, there is no precision for {@code %d}, no {@code +} for {@code %x}, and
 * {@code %a} looks different).
 *
 * <p>
 * Decimal conversions round the exact binary value half to even (glibc in the default
 * rounding mode): {@code %.0f} of 2.5 is {@code 2}, {@code %.2f} of 1.005 is
 * {@code 1.00}.
 */
final class CFormat {

	/**
	 * One parsed conversion specification: flags, width, precision and the conversion
	 * letter.
	 */
	static final class Spec {

		boolean left; // '-'

		boolean plus; // '+'

		boolean space; // ' '

		boolean alt; // '#'

		boolean zero; // '0'

		int width; // 0 when absent

		int precision = -1; // -1 when absent

		char conversion;

		boolean upper() {
			return Character.isUpperCase(conversion);
		}

	}

	private CFormat() {
	}

	// ---- integers ----

	/** {@code %d} and {@code %i}. */
	static String signed(Spec spec, long value) {
		String digits = value < 0 ? Long.toUnsignedString(-value) : Long.toString(value); // -MIN_VALUE
																							// is
																							// MIN_VALUE
		return integer(spec, sign(spec, value < 0), "", digits, value == 0);
	}

	/**
	 * {@code %o}, {@code %u}, {@code %x} and {@code %X} of a 64-bit unsigned value: no
	 * sign, '+' and ' ' are ignored.
	 */
	static String unsigned(Spec spec, long bits) {
		String digits;
		String prefix = "";
		switch (spec.conversion) {
			case 'o':
				digits = Long.toOctalString(bits);
				break;
			case 'x':
				digits = Long.toHexString(bits);
				prefix = (spec.alt && bits != 0) ? "0x" : "";
				break;
			case 'X':
				digits = Long.toHexString(bits).toUpperCase(Locale.ROOT);
				prefix = (spec.alt && bits != 0) ? "0X" : "";
				break;
			default:
				digits = Long.toUnsignedString(bits);
				break;
		}
		return integer(spec, "", prefix, digits, bits == 0);
	}

	private static String integer(Spec spec, String sign, String prefix, String digits, boolean isZero) {
		if (spec.precision >= 0) {
			if (spec.precision == 0 && isZero) {
				digits = "";
			}
			digits = zeros(spec.precision - digits.length()) + digits;
		}
		if (spec.conversion == 'o' && spec.alt && !digits.startsWith("0")) {
			digits = "0" + digits; // '#' makes the first octal digit a zero
		}
		// With a precision, the '0' flag is ignored.
		return pad(spec, sign + prefix, digits, spec.zero && spec.precision < 0);
	}

	// ---- floating point ----

	/** {@code %e %E %f %g %G %a %A}. */
	static String floating(Spec spec, double value) {
		boolean negative = (Double.doubleToRawLongBits(value) < 0); // also -0.0 and a NaN
																	// with the sign bit
		String sign = sign(spec, negative);
		boolean upper = spec.upper();
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			String body = Double.isNaN(value) ? "nan" : "inf";
			return pad(spec, sign, upper ? body.toUpperCase(Locale.ROOT) : body, false);
		}
		double abs = Math.abs(value);
		String body;
		String prefix = sign;
		switch (spec.conversion) {
			case 'f':
				body = fixed(abs, spec.precision < 0 ? 6 : spec.precision, spec.alt);
				break;
			case 'e':
			case 'E':
				body = exponential(abs, spec.precision < 0 ? 6 : spec.precision, spec.alt, upper);
				break;
			case 'g':
			case 'G':
				body = general(abs, spec.precision, spec.alt, upper);
				break;
			case 'a':
			case 'A':
				prefix = sign + (upper ? "0X" : "0x"); // the '0' flag pads after the 0x
				body = hexadecimal(abs, spec.precision, spec.alt, upper);
				break;
			default:
				throw new IllegalArgumentException("not a floating-point conversion: " + spec.conversion);
		}
		return pad(spec, prefix, body, spec.zero);
	}

	private static String fixed(double abs, int precision, boolean alt) {
		String s = new BigDecimal(abs).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
		return (precision == 0 && alt) ? s + "." : s;
	}

	private static String exponential(double abs, int precision, boolean alt, boolean upper) {
		String digits;
		int exponent;
		if (abs == 0) {
			digits = "0";
			exponent = 0;
		}
		else {
			BigDecimal rounded = new BigDecimal(abs).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
			digits = rounded.unscaledValue().toString();
			exponent = rounded.precision() - rounded.scale() - 1;
		}
		digits = digits + zeros(precision + 1 - digits.length());
		StringBuilder sb = new StringBuilder(precision + 8);
		sb.append(digits.charAt(0));
		if (precision > 0 || alt) {
			sb.append('.');
		}
		sb.append(digits, 1, precision + 1);
		sb.append(upper ? 'E' : 'e').append(exponent < 0 ? '-' : '+');
		int e = Math.abs(exponent);
		if (e < 10) {
			sb.append('0');
		}
		return sb.append(e).toString();
	}

	/**
	 * {@code %g}: style {@code e} when the exponent X (after rounding to P significant
	 * digits) is below -4 or at least P, otherwise style {@code f} with P-1-X decimals;
	 * without {@code #}, trailing zeros of the fraction and a trailing point are removed.
	 * With {@code #} this follows ISO C where glibc (2.36) does not: {@code %#g} of
	 * 999999.5 is {@code 1.00000e+06}, glibc prints {@code 1.e+06}.
	 */
	static String general(double abs, int precision, boolean alt, boolean upper) {
		int p = precision < 0 ? 6 : (precision == 0 ? 1 : precision);
		int exponent = 0;
		if (abs != 0) {
			BigDecimal rounded = new BigDecimal(abs).round(new MathContext(p, RoundingMode.HALF_EVEN));
			exponent = rounded.precision() - rounded.scale() - 1;
		}
		String s;
		if (exponent >= -4 && exponent < p) {
			s = fixed(abs, p - 1 - exponent, alt);
		}
		else {
			s = exponential(abs, p - 1, alt, upper);
		}
		if (alt) {
			return s;
		}
		int e = s.indexOf(upper ? 'E' : 'e');
		String mantissa = (e < 0) ? s : s.substring(0, e);
		String suffix = (e < 0) ? "" : s.substring(e);
		if (mantissa.indexOf('.') >= 0) {
			int end = mantissa.length();
			while (mantissa.charAt(end - 1) == '0') {
				end--;
			}
			if (mantissa.charAt(end - 1) == '.') {
				end--;
			}
			mantissa = mantissa.substring(0, end);
		}
		return mantissa + suffix;
	}

	/**
	 * {@code %a} without the {@code 0x}, as glibc prints it: {@code 1p+0} for 1.0, the
	 * fraction's trailing zeros dropped when there is no precision, subnormals as
	 * {@code 0.xxxp-1022}, and rounding half to even that may carry into the leading
	 * digit ({@code %.0a} of 1.5 is {@code 0x2p+0}).
	 */
	private static String hexadecimal(double abs, int precision, boolean alt, boolean upper) {
		long bits = Double.doubleToRawLongBits(abs);
		int biased = (int) (bits >>> 52);
		long mantissa = bits & ((1L << 52) - 1);
		long lead;
		int exponent;
		if (biased == 0) {
			lead = 0;
			exponent = (mantissa == 0) ? 0 : -1022;
		}
		else {
			lead = 1;
			exponent = biased - 1023;
		}
		String fraction;
		if (precision < 0 || precision >= 13) {
			fraction = String.format(Locale.ROOT, "%013x", mantissa);
			if (precision < 0) {
				int end = fraction.length();
				while (end > 0 && fraction.charAt(end - 1) == '0') {
					end--;
				}
				fraction = fraction.substring(0, end);
			}
			else {
				fraction = fraction + zeros(precision - 13);
			}
		}
		else {
			long full = (lead << 52) | mantissa;
			int shift = 4 * (13 - precision);
			long kept = full >>> shift;
			long rest = full & ((1L << shift) - 1);
			long half = 1L << (shift - 1);
			if (rest > half || (rest == half && (kept & 1) != 0)) {
				kept++;
			}
			lead = kept >>> (4 * precision);
			fraction = (precision == 0) ? ""
					: String.format(Locale.ROOT, "%0" + precision + "x", kept & ((1L << (4 * precision)) - 1));
		}
		StringBuilder sb = new StringBuilder(24 + fraction.length());
		sb.append(lead);
		if (!fraction.isEmpty() || alt) {
			sb.append('.').append(fraction);
		}
		sb.append('p').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
		String s = sb.toString();
		return upper ? s.toUpperCase(Locale.ROOT) : s;
	}

	// ---- common ----

	private static String sign(Spec spec, boolean negative) {
		return negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
	}

	/**
	 * Pads {@code prefix + body} to the width: on the right with '-', else with zeros
	 * between prefix and body when {@code zeroPad}, else with spaces on the left.
	 */
	static String pad(Spec spec, String prefix, String body, boolean zeroPad) {
		int fill = spec.width - prefix.length() - body.length();
		if (fill <= 0) {
			return prefix + body;
		}
		if (spec.left) {
			return prefix + body + " ".repeat(fill);
		}
		if (zeroPad) {
			return prefix + zeros(fill) + body;
		}
		return " ".repeat(fill) + prefix + body;
	}

	private static String zeros(int n) {
		return n > 0 ? "0".repeat(n) : "";
	}

	/**
	 * Whether {@code value} is in range for {@code %d}: Lua 5.2 truncates towards zero
	 * and refuses what a 64-bit integer cannot hold.
	 */
	static boolean fitsSigned(double value) {
		return value >= -0x1p63 && value < 0x1p63;
	}

	/**
	 * Whether {@code value} is in range for {@code %o %u %x %X}: above -1 (fractions
	 * truncate to 0) and below 2^64.
	 */
	static boolean fitsUnsigned(double value) {
		return value > -1 && value < 0x1p64;
	}

	/**
	 * The 64-bit pattern of a value for which {@link #fitsUnsigned} holds, truncated
	 * towards zero.
	 */
	static long toUnsigned(double value) {
		if (value < 0x1p63) {
			return (long) value;
		}
		return ((long) (value - 0x1p63)) ^ Long.MIN_VALUE;
	}

}
