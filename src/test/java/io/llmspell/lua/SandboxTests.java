package io.llmspell.lua;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing reaches outside the run: not the JVM, not the file system, not another run. */
class SandboxTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "io.open('/etc/passwd')                          | attempt to index",
					"os.execute('ls')                                | attempt to call",
					"os.exit(1)                                      | attempt to call",
					"luajava.bindClass('java.lang.System')           | attempt to index",
					"require('org.luaj.vm2.lib.DebugLib')            | module 'org.luaj.vm2.lib.DebugLib' not found",
					"require('../../etc/passwd')                     | module '../../etc/passwd' not found",
					"require('io')                                   | module 'io' not found",
					"string.dump(function() end)                     | attempt to call",
					"debug.getinfo(1)                                | attempt to index",
					"dofile('/etc/passwd')                           | attempt to call",
					"loadfile('/etc/passwd')                         | attempt to call",
					"loadstring('return 1')                          | attempt to call",
					"getmetatable('').__index = {}                   | read-only",
					"getmetatable('').__index.upper = nil            | read-only",
					"rawset(getmetatable(''), '__index', {})         | read-only",
					"setmetatable(getmetatable(''), {})              | read-only",
					"collectgarbage('collect'); error('still here')  | still here" })
	void escapesFailWithAClearLuaError(String code, String message) {
		LuaRunFixture fixture = new LuaRunFixture();
		RunOutcome outcome = fixture.run(code);
		assertThat(outcome.status()).isEqualTo("error");
		assertThat(outcome.error().kind()).isEqualTo("lua");
		assertThat(outcome.error().message()).contains(message);
	}

	@Test
	void binaryChunksAreRefused() {
		LuaRunFixture fixture = new LuaRunFixture();
		RunOutcome outcome = fixture.run("""
				local f, err = load("\\27LuaR\\0\\1\\4\\8\\4\\8\\0")
				local g, err2 = load("return 1", "x", "b")
				return { f = tostring(f), err = err, err2 = err2, ok = load("return 40 + 2")() }
				""");
		assertThat(outcome.result()).isEqualTo(
				java.util.Map.of("f", "nil", "err", "attempt to load a binary chunk (binary chunks are not allowed)",
						"err2", "attempt to load a text chunk (mode is 'b')", "ok", 42L));
	}

	@Test
	void loadWithAnotherEnvironmentStillObeysTheLimits() {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = new RunLimits(LuaRunFixture.LIMITS.timeout(), 100_000, LuaRunFixture.LIMITS.maxMemory(),
				1 << 20, 1000, 100, 100, 16 << 20, 200);
		RunOutcome outcome = fixture.run("load('while true do end', 'x', 't', {})()");
		assertThat(outcome.status()).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(RunLimits.INSTRUCTIONS);
	}

	@Test
	void onlyTheSafePartsOfOsExist() {
		LuaRunFixture fixture = new LuaRunFixture();
		RunOutcome outcome = fixture.run("""
				local names = {}
				for k in pairs(os) do names[#names + 1] = k end
				table.sort(names)
				return table.concat(names, ",") .. "|" .. tostring(io) .. tostring(debug) .. tostring(luajava)
				""");
		assertThat(outcome.result()).isEqualTo("clock,date,difftime,time|nilnilnil");
	}

	@Test
	void aRunThatChangesStringsCannotChangeWhatAnotherRunSees() throws Exception {
		LuaRunFixture vandal = new LuaRunFixture();
		CompletableFuture<RunOutcome> vandalRun = CompletableFuture.supplyAsync(() -> vandal.run("""
				string.upper = function() return "pwned" end
				string.rep = nil
				pcall(function() getmetatable("").__index = { upper = function() return "pwned" end } end)
				async.set_timeout(0.3, function() end)
				"""));
		LuaRunFixture bystander = new LuaRunFixture();
		// The vandal's run lasts 300 ms; the bystander looks while it is still running.
		RunOutcome concurrent = bystander.run("""
				sleep(0.1)
				return ("abc"):upper() .. string.upper("d") .. ("x"):rep(2)
				""");
		RunOutcome vandalOutcome = vandalRun.get(10, TimeUnit.SECONDS);
		RunOutcome later = new LuaRunFixture().run("return ('abc'):upper() .. string.upper('d') .. ('x'):rep(2)");
		assertThat(vandalOutcome.status()).isEqualTo("ok");
		assertThat(concurrent.result()).isEqualTo("ABCDxx");
		assertThat(later.result()).isEqualTo("ABCDxx");
	}

	@Test
	void runsDoNotShareGlobals() {
		new LuaRunFixture().run("leaked = 'secret'; _G.other = 1; table.insert = nil");
		RunOutcome outcome = new LuaRunFixture()
			.run("return tostring(leaked) .. tostring(other) .. type(table.insert)");
		assertThat(outcome.result()).isEqualTo("nilnilfunction");
	}

}
