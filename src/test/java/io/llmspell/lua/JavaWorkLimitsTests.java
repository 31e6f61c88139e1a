package io.llmspell.lua;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work done in Java on a run's behalf (JSON, log fields, results, error messages,
 * {@code os.date}, {@code table.sort}) is bounded in time and size like the run's Lua
 * code, and {@code max-memory} bounds what a run holds, not the garbage it made.
 */
class JavaWorkLimitsTests {

	/** The server's defaults, but a shorter timeout. */
	private static final RunLimits DEFAULTS = new RunLimits(Duration.ofSeconds(30), 200_000_000, 256L << 20, 1 << 20,
			10_000, 1_000, 256, 16L << 20, 200);

	private static final String SHARED = "local t = {1} for i = 1, 28 do t = {t, t} end ";

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { SHARED + "json.encode(t)                          | max-string-size",
			SHARED + "log.info('shared', t)                                            | max-output-bytes",
			SHARED + "log.info('shared', {value = t})                                  | max-output-bytes",
			SHARED + "return t                                                         | max-output-bytes",
			SHARED + "return 1, t                                                      | max-output-bytes",
			"local f = ('x'):rep(8e6) for i = 1, 40 do log.info('big', {f = f}) end     | max-output-bytes",
			"return ('x'):rep(2e6)                                                       | max-output-bytes",
			"print(('x'):rep(2e6))                                                       | max-output-bytes",
			"local t = {} for i = 1, 1e6 do t[i] = ('x'):rep(65535) end                  | max-memory",
			"local s = '[' .. ('1,'):rep(7e5) .. '1]' local t = {} for i = 1, 100 do t[i] = json.decode(s) end | max-memory",
			"os.date(string.rep('%c', 4e6))                                              | max-string-size",
			"error(setmetatable({}, {__tostring = function() while true do end end}))     | max-instructions",
			"error(setmetatable({}, {__tostring = function() local s = 'x' while true do s = s .. s end end})) | max-string-size" })
	void javaWorkEndsAtItsLimit(String code, String limit) {
		RunOutcome outcome = run(code, DEFAULTS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("limit");
		assertThat(outcome.error().kind()).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(limit);
		assertThat(outcome.error().message()).contains(limit);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"local t = {} for i = 1, 3e6 do t[i] = (i * 7919) % 1000003 end table.sort(t)",
			"local t = {} for i = 1, 3e6 do t[i] = (i * 7919) % 1000003 end table.sort(t, function(a, b) return a > b end)",
			SHARED + "json.encode(t)" })
	void javaWorkStopsAtTheDeadline(String code) {
		RunLimits limits = DEFAULTS.lowerWith(Map.of("timeout", "1s", "max-string-size", "1GB"));
		limits = new RunLimits(limits.timeout(), Long.MAX_VALUE / 2, 1L << 30, limits.maxOutputBytes(), 10_000, 1_000,
				256, 1L << 30, 200);
		long start = System.nanoTime();
		RunOutcome outcome = run(code, limits);
		long elapsedMs = (System.nanoTime() - start) / 1_000_000;
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isIn("timeout", "limit");
		assertThat(elapsedMs).isLessThan(1000 + 1000);
	}

	@Test
	void aLongNumericLoopSucceedsAtTheDefaults() {
		RunOutcome outcome = run("local n = 0 for i = 1, 17000000 do n = i end return n", DEFAULTS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat(outcome.result()).isEqualTo(17_000_000L);
	}

	@Test
	void garbageDoesNotCountAsHeld() {
		// 12 decodes of a 4 MB document, each dropped: far more than 256 MB allocated
		RunOutcome outcome = run("local s = '[' .. ('1,'):rep(2e6 - 1) .. '1]' local n = 0 "
				+ "for i = 1, 12 do n = n + #json.decode(s) end return n", DEFAULTS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat(outcome.result()).isEqualTo(24_000_000L);
	}

	@Test
	void jsonKeepsItsShape() {
		RunOutcome outcome = run("""
				local s = json.encode({b = {1, 2.5, 'x', true, json.null}, a = {}, [3] = 'three'})
				local back = json.decode(s)
				return {s, back.b[2], back.b[5] == json.null, json.decode('12'), json.decode('1e400') > 1}
				""", DEFAULTS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat(outcome.result()).isEqualTo(
				java.util.List.of("{\"3\":\"three\",\"a\":{},\"b\":[1,2.5,\"x\",true,null]}", 2.5, true, 12L, true));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "return json.encode(print)                      | cannot encode a function",
					"return json.encode({f = print})                  | cannot encode a function",
					"return json.encode(coroutine.create(print))      | cannot encode a thread",
					"local t = {} t[1] = t return json.encode(t)      | reference to itself",
					"return json.decode('[1, 2')                       | invalid JSON",
					"return json.decode('[1] 2')                       | invalid JSON",
					"return json.decode(('['):rep(200))                | nested more than 100" })
	void whatJsonCannotHoldIsNilAndAnError(String code, String error) {
		RunOutcome outcome = run("local v, err = (function() " + code + " end)() return {v == nil, err}", DEFAULTS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat((java.util.List<?>) outcome.result()).first().isEqualTo(true);
		assertThat((String) ((java.util.List<?>) outcome.result()).get(1)).contains(error);
	}

	@Test
	void aHugeErrorMessageIsCut() {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = DEFAULTS;
		RunOutcome outcome = fixture
			.run("error(setmetatable({}, {__tostring = function() return ('x'):rep(16e6) end}))");
		assertThat(outcome.status()).isEqualTo("error");
		assertThat(outcome.error().kind()).isEqualTo("lua");
		assertThat(outcome.error().message()).hasSizeLessThan(17_000).contains("more characters");
	}

	@Test
	void everyByteOfAnEventCounts() {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = DEFAULTS.lowerWith(Map.of("max-output-bytes", "64KB"));
		RunOutcome outcome = fixture.run("for i = 1, 100 do log.info('x', {f = ('y'):rep(1000)}) end");
		assertThat(outcome.status()).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(RunLimits.OUTPUT_BYTES);
		long sent = fixture.events.stream().mapToLong((event) -> EventSize.of(event.getValue())).sum();
		assertThat(sent).isLessThanOrEqualTo(64 * 1024);
		assertThat(fixture.events("log")).hasSizeBetween(50, 64);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "log.info('x', {f = ('y'):rep(200e3)})", "print(('y'):rep(200e3))", "return ('y'):rep(200e3)",
					"return {('y'):rep(50e3), ('y'):rep(50e3), ('y'):rep(50e3)}", "log.info(('y'):rep(200e3))" })
	void noSingleEventIsLargerThanMaxEventBytes(String code) {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = DEFAULTS.lowerWith(Map.of("max-event-bytes", "100KB"));
		RunOutcome outcome = fixture.run("for i = 1, 5 do log.info('small', {i = i}) end " + code);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(RunLimits.EVENT_BYTES);
		assertThat(outcome.error().message()).contains("102400 bytes");
		// the small events before it went out; nothing larger than the cap did
		assertThat(fixture.events("log")).hasSize(5);
		assertThat(fixture.events)
			.allSatisfy((event) -> assertThat(EventSize.of(event.getValue())).isLessThanOrEqualTo(100 * 1024));
	}

	@Test
	void eventsUnderTheCapGoOutTillTheTotalIsSpent() {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = DEFAULTS.lowerWith(Map.of("max-event-bytes", "100KB"));
		RunOutcome outcome = fixture.run("for i = 1, 30 do log.info('x', {f = ('y'):rep(50e3)}) end");
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("limit");
		assertThat(outcome.error().limit()).isEqualTo(RunLimits.OUTPUT_BYTES);
		assertThat(fixture.events("log")).hasSizeBetween(19, 21);
	}

	@Test
	void anErrorMessageFitsTheEventCap() {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = DEFAULTS.lowerWith(Map.of("max-event-bytes", "8KB"));
		RunOutcome outcome = fixture.run("error(('x'):rep(1e5))");
		assertThat(outcome.status()).isEqualTo("error");
		assertThat(outcome.error().message()).hasSizeLessThan(2200).contains("more characters");
	}

	@Test
	void maxEventBytesIsLoweredLikeTheOthersNeverRaised() {
		assertThat(DEFAULTS.maxEventBytes()).isEqualTo(DEFAULTS.maxOutputBytes());
		assertThat(DEFAULTS.lowerWith(Map.of("maxEventBytes", "2KB")).maxEventBytes()).isEqualTo(2048);
		assertThat(DEFAULTS.lowerWith(Map.of("max-event-bytes", "1GB")).maxEventBytes()).isEqualTo(1 << 20);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "local s = ('x'):rep(1e6) .. i coroutine.yield() return #s | limit",
			"local s = ('x'):rep(1e6) .. i s = nil coroutine.yield() return 0                           | ok",
			"local t = {('x'):rep(1e6) .. i} coroutine.yield() return #t                                | limit" })
	void whatSuspendedCoroutinesHoldCounts(String body, String status) {
		// 150 coroutines, each suspended with a 1 MB string in a local: 150 MB held, no
		// reference to the strings anywhere but the coroutines' stacks. A walk comes at
		// the latest once a whole budget was allocated since the last (~32 coroutines
		// here), so the run is over its 64 MB before its end whatever the walks' timing;
		// with 100 (1.5 budgets) a late walk could leave the last over-budget one past
		// it.
		RunLimits limits = DEFAULTS.lowerWith(Map.of("max-memory", "64MB"));
		RunOutcome outcome = run("local cos = {} for i = 1, 150 do local co = coroutine.create(function() " + body
				+ " end) coroutine.resume(co) cos[i] = co end " + "return #cos", limits);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo(status);
		if (status.equals("limit")) {
			assertThat(outcome.error().limit()).isEqualTo(RunLimits.MEMORY);
		}
		else {
			assertThat(outcome.result()).isEqualTo(150L);
		}
	}

	private static RunOutcome run(String code, RunLimits limits) {
		LuaRunFixture fixture = new LuaRunFixture();
		fixture.limits = limits;
		return fixture.run(code);
	}

}
