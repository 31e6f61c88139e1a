package io.llmspell.lua;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base library as Lua 5.2 has it where LuaJ differs: number formatting, tostring,
 * tonumber, _VERSION, package.loaded, table.concat and the string size limit, and the
 * traceback. The assertions are mostly those of Lua 5.2's test suite (math.lua,
 * strings.lua, nextvar.lua).
 */
class Lua52BaseTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	private void assertLua(String source) {
		RunOutcome outcome = fixture.run(source);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
	}

	@Test
	void numbersAreWrittenWithPercent14g() {
		assertLua("""
				assert(tostring(1/3) == "0.33333333333333")
				assert(tostring(10^100) == "1e+100")
				assert(tostring(3.0) == "3" and tostring(-0.5) == "-0.5" and tostring(1203.125) == "1203.125")
				assert(tostring(12) == '12' and tostring(1234567890123) == '1234567890123')
				assert(tostring(2^53) == "9.007199254741e+15")
				assert(tostring(1/0) == "inf" and tostring(-1/0) == "-inf")
				assert(("x" .. 1/3) == "x0.33333333333333" and (0.1 .. "") == "0.1")
				assert(string.format("%s|%5s", 1/3, 2.5) == "0.33333333333333|  2.5")
				assert(#tostring(0/0) == 3 or #tostring(0/0) == 4)
				print(1/3, 10^100, 2^63)
				""");
		assertThat(fixture.output()).containsExactly("0.33333333333333\t1e+100\t9.2233720368548e+18");
	}

	@Test
	void tostringOfFunctionsAndTablesIsTypeAndAddress() {
		assertLua("""
				assert(string.find(tostring(print), "^function: builtin: 0x%x+$"), tostring(print))
				assert(string.find(tostring(function() end), "^function: 0x%x+$"))
				assert(string.find(tostring({}), "^table: 0x%x+$"))
				assert(string.find(tostring(coroutine.create(print)), "^thread: 0x%x+$"))
				assert(tostring(setmetatable({}, { __tostring = function() return "mine" end })) == "mine")
				assert(tostring(nil) == "nil" and tostring(true) == "true" and #tostring('\\0') == 1)
				assert(not pcall(tostring))
				""");
	}

	@Test
	void tonumberReadsHexadecimalAndOtherBases() {
		assertLua(
				"""
						assert(tonumber("0x10") == 16 and tonumber("  0x1p4  ") == 16)
						assert(tonumber("z", 36) == 35 and tonumber("ff", 16) == 255 and tonumber("8", 8) == nil)
						assert(tonumber(3.4) == 3.4 and tonumber('  10  ', 36) == 36 and tonumber('  -10  ', 36) == -36)
						assert(tonumber('  +1Z  ', 36) == 36 + 35 and tonumber('-fFfa', 16) == -(10+(16*(15+(16*(15+(16*15)))))))
						assert(tonumber(string.rep('1', 42), 2) + 1 == 2^42)
						assert(tonumber('ffffFFFF', 16)+1 == 2^32 and tonumber('-0ffffffFFFF', 16) - 1 == -2^40)
						for i = 2,36 do assert(tonumber('\\t10000000000\\t', i) == i^10) end
						assert(tonumber('fFfa', 15) == nil and tonumber('099', 8) == nil and tonumber('1\\0', 2) == nil)
						assert(tonumber('', 8) == nil and tonumber('  ', 9) == nil and tonumber('0xf', 10) == nil)
						assert(tonumber('inf') == nil and tonumber(' INF ') == nil and tonumber('nan') == nil)
						assert(tonumber('  ') == nil and tonumber('') == nil and tonumber('1  a') == nil)
						assert(tonumber('1\\0') == nil and tonumber('e1') == nil and tonumber(' 3.4.5 ') == nil)
						assert(tonumber('0x') == nil and tonumber('x3') == nil and tonumber('00x2') == nil)
						assert(tonumber('0x 2') == nil and tonumber('23x') == nil and tonumber('- 0xaa') == nil)
						assert(tonumber('+0x2') == 2 and tonumber('-0xaA') == -170 and tonumber('-0xffFFFfff') == -2^32 + 1)
						assert(tonumber('  0x2.5  ') == 0x25/16 and tonumber('  -0x2.5  ') == -0x25/16)
						assert(tonumber('  +0x0.51p+8  ') == 0x51)
						assert(tonumber("  +0.001e+3 \\n\\t") == 1)
						assert(tonumber({}) == nil and tonumber(nil) == nil)
						assert(not pcall(tonumber, "10", 99) and not pcall(tonumber))
						""");
	}

	@Test
	void versionAndPackageLoaded() {
		assertLua("""
				assert(_VERSION == "Lua 5.2")
				assert(package.loaded.package == package and package.loaded._G == _G)
				assert(package.loaded.string == string and package.loaded.table == table)
				assert(package.loaded.math == math and package.loaded.coroutine == coroutine)
				""");
	}

	@Test
	void tableConcatAtTheLargestIndex() {
		assertLua("""
				local maxi = 2^31 - 1
				assert(table.concat({[maxi] = "alo"}, "x", maxi, maxi) == "alo")
				assert(table.concat({[maxi] = "alo", [maxi - 1] = "y"}, "-", maxi - 1, maxi) == "y-alo")
				assert(table.concat({}, "x") == "" and table.concat({"a", "b", "c"}, ",", 2) == "b,c")
				assert(table.concat({1, 2.5, 1/3}, " ") == "1 2.5 0.33333333333333")
				assert(table.concat({"a", "b", "c"}, ",", 3, 2) == "")
				local ok, err = pcall(table.concat, {1, {}, 3})
				assert(not ok and string.find(err, "invalid value %(at index 2%) in table for 'concat'"), err)
				""");
	}

	@Test
	void everyStringBuilderEndsTheRunAtTheSizeLimit() {
		for (String builder : List.of("string.gsub(s, 'x', ('y'):rep(100000))", "s:rep(100000)", "s .. s:rep(65536)",
				"string.format('%s%s', s:rep(9000), s:rep(9000))", "table.concat({s:rep(9000), s:rep(9000)})")) {
			LuaRunFixture run = new LuaRunFixture();
			RunOutcome outcome = run.run("local s = ('x'):rep(1000) local ok = pcall(function() return " + builder
					+ " end) print('caught') return ok");
			assertThat(outcome.status()).as(builder).isEqualTo("limit");
			assertThat(outcome.error().limit()).as(builder).isEqualTo(RunLimits.STRING_SIZE);
			assertThat(run.output()).as(builder).isEmpty();
		}
	}

	@Test
	void tracebacksShowNoBogusLine() {
		RunOutcome outcome = fixture.run("""
				local function inner()
				  error("boom")
				end
				inner()
				""");
		assertThat(outcome.error().message()).isEqualTo("main.lua:2: boom");
		assertThat(outcome.error().traceback()).doesNotContain("main.lua:0:")
			.contains("main.lua: in function <main.lua:1>")
			.endsWith("main.lua: in main chunk");
	}

}
