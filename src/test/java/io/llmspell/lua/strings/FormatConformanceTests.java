package io.llmspell.lua.strings;

import static io.llmspell.lua.strings.LuaHarness.errorOf;
import static io.llmspell.lua.strings.LuaHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * {@code string.format} against the output of Lua 5.2.4 on glibc (C {@code printf});
 * every expected value below was checked with {@code lua5.2}, except where a comment says
 * otherwise.
 */
class FormatConformanceTests {

	private Globals lua;

	@BeforeEach
	void setUp() {
		lua = LuaHarness.boundedGlobals();
	}

	/**
	 * {@code string.format(format, <luaArgs>)}, the result's bytes as ISO-8859-1
	 * characters.
	 */
	private String format(String format, String luaArgs) {
		lua.set("FMT", LuaString.valueUsing(format.getBytes(StandardCharsets.ISO_8859_1)));
		LuaValue result = run(lua, "return string.format(FMT" + (luaArgs.isEmpty() ? "" : ", " + luaArgs) + ")").arg1();
		LuaString s = result.checkstring();
		byte[] bytes = new byte[s.length()];
		s.copyInto(0, bytes, 0, bytes.length);
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	private static Arguments c(String format, String luaArgs, String expected) {
		return Arguments.of(format, luaArgs, expected);
	}

	static Stream<Arguments> cases() {
		return Stream.of(
				// %f: precision, flags, and rounding of the exact binary value, half to
				// even
				c("%5.2f", "3.14159", " 3.14"), c("%.2f", "3.14159", "3.14"), c("%f", "3.14159", "3.141590"),
				c("%.3f", "2/3", "0.667"), c("%10.4f", "-1/3", "   -0.3333"), c("%.0f", "2.5", "2"),
				c("%.0f", "3.5", "4"), c("%.0f", "0.5", "0"), c("%.2f", "1.005", "1.00"), c("%.1f", "0.25", "0.2"),
				c("%.1f", "0.35", "0.3"), c("%#.0f", "1", "1."), c("%+.1f", "2", "+2.0"), c("% .1f", "2", " 2.0"),
				c("%08.2f", "-3.14159", "-0003.14"), c("%-8.2f|", "3.14159", "3.14    |"),
				c("%f", "1e20", "100000000000000000000.000000"), c("%.3f", "1e-10", "0.000"),
				c("%f", "2^53", "9007199254740992.000000"), c("%.20f", "0.1", "0.10000000000000000555"),
				// %e
				c("%-8.3e", "12345.678", "1.235e+04"), c("%-12.3e|", "12345.678", "1.235e+04   |"),
				c("%e", "0", "0.000000e+00"), c("%E", "123.456", "1.234560E+02"), c("%.0e", "2.5", "2e+00"),
				c("%#.0e", "1", "1.e+00"), c("%e", "5e-324", "4.940656e-324"), c("%+.2e", "1e100", "+1.00e+100"),
				// %g: style chosen from the rounded exponent, trailing zeros removed
				// unless '#'
				c("%g", "100000", "100000"), c("%g", "1000000", "1e+06"), c("%g", "0.0001", "0.0001"),
				c("%g", "0.00001", "1e-05"), c("%#g", "1.0", "1.00000"), c("%g", "1/3", "0.333333"),
				c("%g", "123456789", "1.23457e+08"), c("%G", "1e-10", "1E-10"), c("%.3g", "2/3", "0.667"),
				c("%.0g", "25", "2e+01"), c("%g", "999999.5", "1e+06"), c("%g", "0", "0"), c("%#.3g", "1", "1.00"),
				// ISO C keeps the zeros; glibc 2.36 (so lua5.2) prints "1.e+06" when
				// rounding carries into the exponent
				c("%#g", "999999.5", "1.00000e+06"), c("%g", "1e100", "1e+100"), c("%10.3g|", "3.14159", "      3.14|"),
				c("%g", "2^63", "9.22337e+18"),
				// inf and nan: no zero padding; the sign of a NaN is its sign bit, as
				// glibc prints it.
				// LuaJ's 0/0 is Java's NaN, which has none (on x86, C's 0/0 has it: Lua
				// 5.2 prints -nan).
				c("%f", "math.huge", "inf"), c("%f", "-math.huge", "-inf"), c("%E", "math.huge", "INF"),
				c("%+g", "math.huge", "+inf"), c("%06f", "math.huge", "   inf"), c("%f", "0/0", "nan"),
				c("%5.1f", "-(0/0)", " -nan"),
				// %a, as glibc prints it
				c("%a", "1", "0x1p+0"), c("%A", "10", "0X1.4P+3"), c("%a", "0.5", "0x1p-1"), c("%a", "0", "0x0p+0"),
				c("%.0a", "1.5", "0x2p+0"), c("%.1a", "1.03125", "0x1.0p+0"), c("%.3a", "1/3", "0x1.555p-2"),
				c("%a", "5e-324", "0x0.0000000000001p-1022"), c("%#a", "1", "0x1.p+0"), c("%010a", "-1", "-0x0001p+0"),
				// %d %i: flags, precision, Lua 5.2 truncation, 64 bits
				c("%+d", "5", "+5"), c("% d", "5", " 5"), c("%05d", "-42", "-0042"), c("%-5d|", "42", "42   |"),
				c("%.3d", "7", "007"), c("%5.3d", "-7", " -007"), c("%05.3d", "7", "  007"), c("%.0d", "0", ""),
				c("%-----d", "1", "1"), c("%d", "3.7", "3"), c("%d", "-3.7", "-3"), c("%d", "2^31", "2147483648"),
				c("%d", "2^53", "9007199254740992"), c("%d", "-2^63", "-9223372036854775808"), c("%i", "'10'", "10"),
				// %o %u %x %X: unsigned 64 bits, '+' and ' ' ignored
				c("%x", "255", "ff"), c("%#X", "255", "0XFF"), c("%#x", "0", "0"), c("%#o", "8", "010"),
				c("%#o", "0", "0"), c("%o", "8", "10"), c("%x", "2^32 + 1", "100000001"),
				c("%x", "2^63", "8000000000000000"), c("%X", "2^64 - 2048", "FFFFFFFFFFFFF800"),
				c("%#.3x", "1", "0x001"), c("%+x", "5", "5"), c("%u", "3000000000", "3000000000"),
				c("%08X", "48879", "0000BEEF"), c("%x", "-0.5", "0"),
				// %c
				c("%c%c", "72, 105", "Hi"), c("%3c|%-3c|", "65, 66", "  A|B  |"), c("%c", "256 + 65", "A"),
				c("%c", "0", "\0"),
				// %s: width, precision, tostring semantics
				c("%5s|%-5s|%.2s", "'ab', 'cd', 'xyz'", "   ab|cd   |xy"), c("%05s", "'ab'", "   ab"),
				c("%10.3s|", "'abcdef'", "       abc|"), c("%.0s", "'abc'", ""), c("%s", "12", "12"),
				c("%s %s", "nil, true", "nil true"),
				c("%-6s|", "setmetatable({}, {__tostring = function() return 'T' end})", "T     |"),
				// Lua 5.2 stops at the first '\0' (C strings); we keep the whole string,
				// as Lua 5.3 does
				c("%s", "'a\\0b'", "a\0b"),
				// %q: Lua 5.2's escapes; flags and width are ignored
				c("%q", "'a \"q\"\\n\\0'", "\"a \\\"q\\\"\\\n\\0\""),
				c("%q", "'\\r\\0001\\1\\127\\\\'", "\"\\13\\0001\\1\\127\\\\\""),
				c("%q", "'\\200\\255\\t'", "\"\u00c8\u00ff\\9\""), c("%5q", "'x'", "\"x\""),
				// literals
				c("%%", "", "%"), c("100%% %d%%", "5", "100% 5%"), c("%5.1f%%", "99.44", " 99.4%"),
				c("a\0%d", "5", "a\0" + "5"), c("", "", ""));
	}

	@ParameterizedTest(name = "format(\"{0}\", {1})")
	@MethodSource("cases")
	void formatsLikeC(String format, String luaArgs, String expected) {
		assertThat(format(format, luaArgs)).isEqualTo(expected);
	}

	static Stream<Arguments> errors() {
		return Stream.of(Arguments.of("string.format()", "bad argument #1 to 'format' (string expected, got no value)"),
				Arguments.of("string.format('%123d', 1)", "invalid format (width or precision too long)"),
				Arguments.of("string.format('%.123f', 1)", "invalid format (width or precision too long)"),
				Arguments.of("string.format('%------d', 1)", "invalid format (repeated flags)"),
				Arguments.of("string.format('%y', 1)", "invalid option '%y' to 'format'"),
				Arguments.of("string.format('%F', 1)", "invalid option '%F' to 'format'"),
				Arguments.of("string.format('%ld', 1)", "invalid option '%l' to 'format'"),
				Arguments.of("string.format('%5%', 1)", "invalid option '%%' to 'format'"),
				Arguments.of("string.format('%1.2.3f', 1)", "invalid option '%.' to 'format'"),
				Arguments.of("string.format('%', 1)", "invalid option '%\0' to 'format'"),
				// the argument is looked for before the conversion is read
				Arguments.of("string.format('%y')", "bad argument #2 to 'format' (no value)"),
				Arguments.of("string.format('%')", "bad argument #2 to 'format' (no value)"),
				Arguments.of("string.format('%s %s', 1)", "bad argument #3 to 'format' (no value)"),
				Arguments.of("string.format('%d', 'x')", "bad argument #2 to 'format' (number expected, got string)"),
				Arguments.of("string.format('%f', {})", "bad argument #2 to 'format' (number expected, got table)"),
				Arguments.of("string.format('%c', nil)", "bad argument #2 to 'format' (number expected, got nil)"),
				Arguments.of("string.format('%q', {})", "bad argument #2 to 'format' (string expected, got table)"),
				Arguments.of("string.format('%d', 2^63)", "bad argument #2 to 'format' (not a number in proper range)"),
				Arguments.of("string.format('%d', -2^64)",
						"bad argument #2 to 'format' (not a number in proper range)"),
				Arguments.of("string.format('%d', math.huge)",
						"bad argument #2 to 'format' (not a number in proper range)"),
				Arguments.of("string.format('%d', 0/0)", "bad argument #2 to 'format' (not a number in proper range)"),
				Arguments.of("string.format('%x', -1)",
						"bad argument #2 to 'format' (not a non-negative number in proper range)"),
				Arguments.of("string.format('%o', 2^64)",
						"bad argument #2 to 'format' (not a non-negative number in proper range)"),
				// Lua 5.2.4 does not check, and prints "(null)"; this is Lua 5.3's
				// message
				Arguments.of("string.format('%s', setmetatable({}, {__tostring = function() return {} end}))",
						"'__tostring' must return a string"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("errors")
	void reportsErrorsLikeLua52(String code, String message) {
		assertThat(errorOf(lua, code)).endsWith(message);
	}

	@Test
	void firstBadArgumentIsReportedBeforeAnyTostringOfLaterOnes() {
		run(lua, "calls = 0; T = setmetatable({}, {__tostring = function() calls = calls + 1 return 't' end})");
		assertThat(errorOf(lua, "string.format('%d %s', 'x', T)"))
			.endsWith("bad argument #2 to 'format' (number expected, got string)");
		assertThat(run(lua, "return calls").arg1().toint()).isZero();
		assertThat(run(lua, "return string.format('%s%s', T, T), calls").arg(2).toint()).isEqualTo(2);
	}

	@Test
	void widestConversionsFitTheBound() {
		TestBudget budget = TestBudget.of(1 << 20);
		assertThat(run(lua, budget, "return #string.format('%99.99f', 1e308)").arg1().toint()).isEqualTo(309 + 1 + 99);
		assertThat(run(lua, budget, "return #string.format('%-99.99e|%99.99a', -1e-300, 1/3)").arg1().toint())
			.isEqualTo(107 + 1 + 106);
		assertThat(run(lua, budget, "return string.format('%#99.99o', 2^64 - 2048)").arg1().tojstring())
			.isEqualTo("0".repeat(77) + "1777777777777777774000");
	}

	@Test
	void boundCountsWidthsAndRejectsBeforeFormatting() {
		TestBudget budget = TestBudget.of(1000);
		// each numeric conversion may take up to 512 bytes: two are over a limit of 1000
		assertThat(errorOf(lua, budget, "return string.format('%d%d', 1, 2)"))
			.contains("string.format: result too large (up to 1024 bytes, limit 1000)");
		assertThat(errorOf(lua, budget, "return string.format(string.rep('%99s', 11), " + "'', ".repeat(10) + "'')"))
			.contains("string.format: result too large (up to 1089 bytes, limit 1000)");
		assertThat(run(lua, budget, "return #string.format(string.rep('%99s', 10), " + "'', ".repeat(9) + "'')").arg1()
			.toint()).isEqualTo(990);
	}

}
