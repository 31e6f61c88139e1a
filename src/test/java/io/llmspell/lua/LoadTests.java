package io.llmspell.lua;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code load} as Lua 5.2's: 8-bit clean, reader functions, failures as
 * {@code nil, message}, and a compiler that always ends. Cases from Lua 5.2's test suite
 * (calls.lua, literals.lua) where they apply.
 */
class LoadTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	private void assertLua(String source) {
		RunOutcome outcome = fixture.run(source);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
	}

	@Test
	void chunksAreEightBitClean() {
		assertLua("""
				local f, err = load('return "\\237"')
				assert(f, err)
				assert(f() == "\\237" and #f() == 1 and f():byte() == 237)
				local bytes = string.char(200, 128, 255, 0, 10)
				assert(load("return '" .. bytes:gsub("\\0", "\\\\0"):gsub("\\n", "\\\\n") .. "'")() == bytes)
				assert(load("return [[" .. string.char(195, 40, 240) .. "]]")() == string.char(195, 40, 240))
				""");
	}

	@Test
	void readerFunctions() {
		assertLua("""
				local x = "-- a comment\\0\\0\\0\\n  x = 10 + \\n23; \\
				     local a = function () x = 'hi' end; \\
				     return '\\0'"
				local function read1 (x)
				  local i = 0
				  return function ()
				    collectgarbage()
				    i=i+1
				    return string.sub(x, i, i)
				  end
				end
				local function cannotload (msg, a,b)
				  assert(not a and string.find(b, msg), b)
				end
				local a = assert(load(read1(x), "modname", "t", _G))
				assert(a() == "\\0" and _G.x == 33)
				cannotload("attempt to load a text chunk", load(read1(x), "modname", "b", {}))
				cannotload("attempt to load a text chunk", load(x, "modname", "b"))
				a = assert(load(function () return nil end))
				a()  -- empty chunk
				assert(not load(function () return true end))
				local t = {nil, "return ", "3"}
				local f, msg = load(function () return table.remove(t, 1) end)
				assert(f() == nil)   -- should read the empty chunk
				x = [[
				  return function (x)
				    return function (y)
				     return function (z)
				       return x+y+z
				     end
				   end
				  end
				]]
				a = assert(load(read1(x)))
				assert(a()(2)(3)(10) == 15)
				cannotload("unexpected symbol", load(read1("*a = 123")))
				cannotload("unexpected symbol", load("*a = 123"))
				cannotload("hhi", load(function () error("hhi") end))
				assert(load("return _ENV", nil, nil, 123)() == 123)
				""");
	}

	@Test
	void messagesNameTheChunkAsLuaDoes() {
		RunOutcome outcome = fixture.run("""
				local _, e1 = load("x = ")
				local _, e2 = load("x = ", "=mychunk")
				local _, e3 = load("local a = 1\\nx = ")
				local _, e4 = pcall(load("error('rt')"))
				return { e1 = e1, e2 = e2, e3 = e3, e4 = e4 }
				""");
		assertThat(outcome.result()).isEqualTo(Map.of("e1", "[string \"x = \"]:1: unexpected symbol near <eof>", "e2",
				"mychunk:1: unexpected symbol near <eof>", "e3",
				"[string \"local a = 1...\"]:2: unexpected symbol near <eof>", "e4", "[string \"error('rt')\"]:1: rt"));
	}

	@Test
	// it used to loop forever in LuaJ's lexer
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aBackslashZAtTheEndOfTheSourceIsASyntaxError() {
		// literals.lua: lexerror("'alo \\z \n\n", "<eof>"); lexerror("'alo \\z", "<eof>")
		assertLua("""
				for _, s in ipairs({ "'alo \\\\z", "'alo \\\\z  \\n\\n" }) do
				  local f, msg = load("return " .. s)
				  assert(not f and string.find(msg, "unfinished string near <eof>", 1, true), msg)
				end
				local f, msg = load("return 'alo \\\\98")
				assert(not f and string.find(msg, "unfinished string", 1, true), msg)
				""");
	}

	@Test
	void theCompilerStopsWhenTheRunIsCancelled() {
		fixture.limits = new RunLimits(Duration.ofSeconds(30), LuaRunFixture.LIMITS.maxInstructions(), 4L << 30,
				1 << 20, 10_000, 1_000, 100, 64L << 20, 200);
		fixture.onStart = (run) -> reactor.core.scheduler.Schedulers.parallel()
			.schedule(() -> run.cancel("stop"), 300, java.util.concurrent.TimeUnit.MILLISECONDS);
		RunOutcome outcome = fixture.run("""
				local source = "return " .. ("1+"):rep(20000000) .. "1"
				while true do load(source) end
				""");
		assertThat(outcome.status()).isEqualTo("cancelled");
	}

	@Test
	void aChunkTooLargeForTheCompilerGivesAClearMessage() {
		fixture.limits = new RunLimits(Duration.ofSeconds(60), LuaRunFixture.LIMITS.maxInstructions(), 4L << 30,
				1 << 20, 10_000, 1_000, 100, 64L << 20, 200);
		RunOutcome outcome = fixture.run("""
				local t = {}
				for i = 1, 300000 do t[i] = "x" .. i .. "=" .. i .. ".5" end
				local f, err = load(table.concat(t, "\\n"))
				return err
				""");
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat((String) outcome.result()).startsWith("[string \"x1=1.5...\"]: chunk too large for the compiler")
			.doesNotContain("Exception");
	}

}
