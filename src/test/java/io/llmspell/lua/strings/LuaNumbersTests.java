package io.llmspell.lua.strings;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaDouble;
import org.luaj.vm2.LuaValue;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers as Lua 5.2 writes ("%.14g") and reads them. */
class LuaNumbersTests {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|',
			value = { "0.3333333333333333 | 0.33333333333333", "1e100 | 1e+100", "3.0 | 3", "-0.5 | -0.5",
					"1203.125 | 1203.125", "1234567890123 | 1234567890123", "9007199254740992 | 9.007199254741e+15",
					"1e15 | 1e+15", "99999999999999 | 99999999999999", "100000000000000 | 1e+14",
					"9223372036854775807 | 9.2233720368548e+18", "1e-5 | 1e-05", "0.1 | 0.1",
					"123456.789e3 | 123456789", "2.5e-310 | 2.5e-310", "-0.0 | -0", "Infinity | inf",
					"-Infinity | -inf", "NaN | nan" })
	void formatsAsLua52(double value, String expected) {
		assertThat(LuaNumbers.format(value)).isEqualTo(expected);
	}

	@Test
	void theShadowedLuaDoubleIsTheOneLoaded() {
		// every number-to-string path of LuaJ (.., tostring, print, %s) ends here
		assertThat(LuaValue.valueOf(1 / 3.0)).isInstanceOf(LuaDouble.class);
		assertThat(LuaValue.valueOf(1 / 3.0).tojstring()).isEqualTo("0.33333333333333");
		assertThat(LuaValue.valueOf(1e100).strvalue().tojstring()).isEqualTo("1e+100");
		assertThat(LuaValue.valueOf("x").concat(LuaValue.valueOf(0.1)).tojstring()).isEqualTo("x0.1");
	}

	@ParameterizedTest(name = "[{0}]")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			value = { "0x10 | 16", "\"  0x1p4  \" | 16", "+0x2 | 2", "-0xaA | -170", "\"  0x2.5  \" | 2.3125",
					"\"  +0x0.51p+8  \" | 81", "0x.8 | 0.5", "1e1 | 10", "\" 10\t\" | 10", ".5 | 0.5", "5. | 5",
					"\"  +0.001e+3 \" | 1" })
	void parsesNumerals(String text, double expected) {
		assertThat(parse(text)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "[{0}]")
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "inf", "nan", "\" INF \"", "0x", "x3", "00x2", "0x 2",
			"23x", "- 0xaa", "e1", "\" 3.4.5 \"", "1d", "1f", "Infinity", "\"1  a\"", "''", "\"   \"", "1e", "0x1p" })
	void refusesWhatIsNotANumeral(String text) {
		assertThat(parse(text.equals("''") ? "" : text)).isNaN();
	}

	@Test
	void parsesIntegersInABase() {
		assertThat(parse("z", 36)).isEqualTo(35);
		assertThat(parse("  -1z  ", 36)).isEqualTo(-71);
		assertThat(parse("-fFfa", 16)).isEqualTo(-65530);
		assertThat(parse("1".repeat(42), 2) + 1).isEqualTo(Math.pow(2, 42));
		assertThat(parse("\t10000000000\t", 7)).isEqualTo(Math.pow(7, 10));
		assertThat(parse("8", 8)).isNaN();
		assertThat(parse("099", 8)).isNaN();
		assertThat(parse("0xf", 10)).isNaN();
		assertThat(parse("1\0", 2)).isNaN();
		assertThat(parse("  ", 9)).isNaN();
	}

	private static double parse(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
		return LuaNumbers.parse(bytes, 0, bytes.length);
	}

	private static double parse(String text, int base) {
		byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
		return LuaNumbers.parse(bytes, 0, bytes.length, base);
	}

}
