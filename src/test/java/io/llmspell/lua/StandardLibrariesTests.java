package io.llmspell.lua;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standard tables every run gets ({@code math}, {@code table}, {@code bit32}): its
 * own tables, whose functions behave as LuaJ's; {@code math.random} with its own
 * generator. The random cases are those of Lua 5.2's test suite (math.lua).
 */
class StandardLibrariesTests {

	private RunOutcome run(LuaRunFixture fixture, String source) {
		RunOutcome outcome = fixture.run(source);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		return outcome;
	}

	@Test
	void randomStaysInItsIntervalsAsInLua52() {
		run(new LuaRunFixture(), """
				local function eq(a, b, limit) return math.abs(a - b) <= limit end
				math.randomseed(0)
				local i, Max, Min, flag = 0, 0, 2, false
				repeat
				  local t = math.random()
				  Max = math.max(Max, t); Min = math.min(Min, t); i = i + 1
				  flag = eq(Max, 1, 0.001) and eq(Min, 0, 0.001)
				until flag or i > 10000
				assert(0 <= Min and Max < 1)
				assert(flag)
				for i = 1, 10 do local t = math.random(5); assert(1 <= t and t <= 5 and t == math.floor(t)) end
				i, Max, Min, flag = 0, -200, 200, false
				repeat
				  local t = math.random(-10, 0)
				  Max = math.max(Max, t); Min = math.min(Min, t); i = i + 1
				  flag = (Max == 0 and Min == -10)
				until flag or i > 10000
				assert(-10 <= Min and Max <= 0)
				assert(flag)
				assert(math.random(7, 7) == 7)
				""");
	}

	@Test
	void randomRefusesAnEmptyIntervalAsLuaJDoes() {
		LuaRunFixture fixture = new LuaRunFixture();
		run(fixture, """
				local ok, e1 = pcall(math.random, 0)
				local ok2, e2 = pcall(math.random, 3, 2)
				local ok3, e3 = pcall(math.random, "x")
				local ok4, e4 = pcall(math.randomseed)
				assert(not ok and not ok2 and not ok3 and not ok4)
				print(e1) print(e2) print(e3) print(e4)
				""");
		assertThat(fixture.output()).containsExactly("bad argument #1: interval is empty",
				"bad argument #2: interval is empty", "bad argument: number expected, got string",
				"bad argument: long expected, got nil");
	}

	@Test
	void aSeedGivesTheSameSequenceInEveryRun() {
		String source = """
				math.randomseed(42)
				print(math.random(1000000), math.random(), math.random(5, 50))
				""";
		LuaRunFixture first = new LuaRunFixture();
		run(first, source);
		LuaRunFixture second = new LuaRunFixture();
		run(second, "math.random(); math.random(); " + source);
		assertThat(second.output()).isEqualTo(first.output());
		assertThat(first.output().get(0)).matches("\\d+\t0\\.\\d+\t\\d+");
	}

	@Test
	void eachRunHasItsOwnStandardTables() {
		String source = """
				assert(math.mine == nil and table.mine == nil and bit32.mine == nil and os.mine == nil)
				assert(package.loaded.math == math and package.loaded.table == table and package.loaded.bit32 == bit32)
				assert(package.loaded.os == os)
				math.mine, table.mine, bit32.mine, os.mine = 1, 2, 3, 4
				math.floor, table.insert, bit32.band, os.time = nil, nil, nil, nil
				""";
		run(new LuaRunFixture(), source);
		// a second run sees neither the fields added nor the functions removed by the
		// first
		run(new LuaRunFixture(), source + """
				""");
		run(new LuaRunFixture(), """
				assert(math.floor(2.5) == 2 and bit32.band(6, 3) == 2 and type(os.time()) == "number")
				local t = {} table.insert(t, "a") assert(t[1] == "a")
				""");
	}

	@Test
	void osHasTheClockAndTheCalendarOnly() {
		run(new LuaRunFixture(),
				"""
						local names = {}
						for name in pairs(os) do names[#names + 1] = name end
						table.sort(names)
						assert(table.concat(names, ",") == "clock,date,difftime,time", table.concat(names, ","))
						local c = os.clock()
						assert(type(c) == "number" and c >= 0 and os.clock() >= c)
						assert(os.date("!%Y-%m-%d", 0) == "1970-01-01" and os.time({ year = 2000, month = 1, day = 1, hour = 12 }) > 0)
						assert(os.difftime(10, 4) == 6)
						""");
	}

	@Test
	void theFunctionsOfTheSharedTablesWorkAsBefore() {
		run(new LuaRunFixture(),
				"""
						assert(math.pi > 3.14 and math.huge == 1/0 and math.fmod(7, 3) == 1 and math.sqrt(16) == 4)
						assert(math.max(1, 5, 3) == 5 and math.min(4, -2) == -2 and math.abs(-3) == 3 and math.ceil(1.2) == 2)
						assert(math.pow(2, 10) == 1024 and 2^10 == 1024 and math.exp(0) == 1 and math.log(1) == 0)
						assert(math.tanh(0) == 0 and math.cosh(0) == 1 and math.atan2(0, 1) == 0)
						assert(bit32.bor(1, 2) == 3 and bit32.bxor(3, 1) == 2 and bit32.lshift(1, 4) == 16 and bit32.rshift(16, 4) == 1)
						assert(bit32.extract(0xF0, 4, 4) == 15 and bit32.bnot(0) == 0xFFFFFFFF and bit32.btest(1, 3))
						assert(table.concat({ "a", "b" }, ",") == "a,b" and select("#", table.unpack({ 1, 2, 3 })) == 3)
						local t = table.pack(3, 1, 2) table.sort(t) assert(t[1] == 1 and t.n == 3)
						assert(table.remove({ 1, 2 }) == 2)
						local ok, e = pcall(bit32.band, "x") assert(not ok and e:find("number expected"), e)
						""");
	}

}
