package io.llmspell.lua.strings;

import static io.llmspell.lua.strings.LuaHarness.errorOf;
import static io.llmspell.lua.strings.LuaHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.Globals;

/**
 * Every function that builds a string refuses results over the budget's limit, before
 * building them.
 */
class StringBoundsTests {

	private static final long LIMIT = 1 << 20;

	private Globals lua;

	private TestBudget budget;

	@BeforeEach
	void setUp() {
		lua = LuaHarness.boundedGlobals();
		budget = TestBudget.of(LIMIT);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "string.rep('x', 2^31)          | 2147483648",
			"string.rep('x', 2^53)          | 9007199254740992", "string.rep('xy', 2^53)         | 18014398509481984",
			"string.rep('x', 1e308)         | 9223372036854775807",
			"string.rep('x', math.huge)     | 9223372036854775807",
			"string.rep('ab', 1e308)        | 18446744073709551614", "string.rep('x', 2^40, ', ')    | 3298534883326",
			"string.rep('', 2^40, ',')      | 1099511627775", "('x'):rep(1e9)                 | 1000000000",
			"string.rep('x', 1048577)       | 1048577", })
	void repRefusesResultsOverTheLimit(String code, String size) {
		assertThat(errorOf(lua, budget, "return " + code))
			.contains("string.rep: result too large (" + size + " bytes, limit " + LIMIT + ")");
		assertThat(budget.allocated).isZero();
	}

	@Test
	void repWithinTheLimit() {
		assertThat(run(lua, budget,
				"return string.rep('x', -1), string.rep('x', 0), string.rep('x', -math.huge),"
						+ " string.rep('', 1e18), string.rep('', math.huge), string.rep('x', 0/0)")
			.narg()).isEqualTo(6);
		assertThat(run(lua, budget, "return string.rep('x', -1) .. string.rep('x', 0) .. string.rep('', 1e18)"
				+ " .. string.rep('x', -math.huge)")
			.arg1()
			.tojstring()).isEmpty();
		assertThat(run(lua, budget, "return #string.rep('x', 1048576)").arg1().toint()).isEqualTo(1 << 20);
		assertThat(run(lua, budget, "return string.rep('abc', 100000, '-') == ('abc-'):rep(99999) .. 'abc'").arg1()
			.toboolean()).isTrue();
		assertThat(budget.allocated).isEqualTo((1 << 20) + 399_999 + 399_996);
	}

	@Test
	void gsubStopsGrowingAtTheLimit() {
		String message = errorOf(lua, budget,
				"local s = string.rep('x', 1000)" + " return string.gsub(s, 'x', string.rep('y', 2000))");
		assertThat(message).contains("string.gsub: result too large (more than " + LIMIT + " bytes)");

		assertThat(errorOf(lua, budget, "return string.gsub(string.rep('x', 600000), '', '-')"))
			.contains("string.gsub: result too large");
		assertThat(errorOf(lua, budget,
				"return string.gsub(string.rep('ab', 1000), '%w+', function(w) return w:rep(1000) end)"))
			.contains("string.rep: result too large");
	}

	@Test
	void gsubReportsLargeResults() {
		run(lua, budget, "return string.gsub(string.rep('x', 50000), 'x', 'yy')");
		assertThat(budget.allocated).isEqualTo(100_000); // the 50 KB subject is under the
															// threshold
	}

	@Test
	void byteRefusesTooManyResults() {
		TestBudget large = TestBudget.of(8 << 20);
		assertThat(errorOf(lua, large, "local s = string.rep('x', 1000001) return s:byte(1, -1)"))
			.contains("string slice too long");
		assertThat(
				run(lua, large, "local s = string.rep('x', 1000001) return select('#', s:byte(2, -1))").arg1().toint())
			.isEqualTo(1_000_000);
		assertThat(run(lua, large, "local s = string.rep('x', 1000001) return s:byte(-10, 2^53)").narg()).isEqualTo(10);
	}

	@Test
	void formatIsBounded() {
		// LuaJ itself accepts at most two digits of width and precision.
		assertThat(errorOf(lua, budget, "return string.format('%1000d', 1)"))
			.contains("invalid format (width or precision too long)");
		assertThat(errorOf(lua, budget, "local s = string.rep('x', 600000) return string.format('%s%s', s, s)"))
			.contains("string.format: result too large (up to");
		assertThat(errorOf(lua, budget, "local s = string.rep('\\0', 300000) return string.format('%q', s)"))
			.contains("string.format: result too large");
		TestBudget fresh = TestBudget.of(LIMIT);
		assertThat(run(lua, fresh, "local s = string.rep('x', 600000) return #string.format('<%s>', s)").arg1().toint())
			.isEqualTo(600_002);
		assertThat(fresh.allocated).isEqualTo(600_000 + 600_002);
		// FormatConformanceTests checks the formatting itself.
		assertThat(run(lua, budget,
				"return string.format('%-4d|%05d|%x|%X|%q|%s|%%|%c', 42, 7, 255, 255, 'a\"b', 1.5, 65)")
			.arg1()
			.tojstring()).isEqualTo("42  |00007|ff|FF|\"a\\\"b\"|1.5|%|A");
	}

	@Test
	void caseMappingReverseAndCharAreBounded() {
		// '..' is not ours to bound, so an input may already exceed the limit.
		String big = "local s = string.rep('x', " + LIMIT + ") .. 'y' ";
		assertThat(errorOf(lua, budget, big + "return s:upper()"))
			.contains("string.upper: result too large (1048577 bytes");
		assertThat(errorOf(lua, budget, big + "return s:lower()")).contains("string.lower: result too large");
		assertThat(errorOf(lua, budget, big + "return s:reverse()")).contains("string.reverse: result too large");
		assertThat(errorOf(lua, TestBudget.of(3), "return string.char(65, 66, 67, 68)"))
			.contains("string.char: result too large (4 bytes, limit 3)");
		assertThat(run(lua, budget, big + "return #s:sub(2)").arg1().toint()).isEqualTo(LIMIT);
	}

}
