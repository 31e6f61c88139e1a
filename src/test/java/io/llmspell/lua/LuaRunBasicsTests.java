package io.llmspell.lua;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LuaRunBasicsTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	@Test
	void printsLogsAndReturnsAResult() {
		fixture.params.put("name", "Ada");
		RunOutcome outcome = fixture.run("""
				log.info("greeting", { name = params.name })
				print("Hello, " .. params.name .. "!", 42)
				return { greeting = "hi", n = 3, list = {1, 2, 3} }
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.eventNames()).containsExactly("log", "output");
		assertThat(fixture.output()).containsExactly("Hello, Ada!\t42");
		assertThat(fixture.events("log").get(0)).containsEntry("level", "info")
			.containsEntry("message", "greeting")
			.containsEntry("fields", Map.of("name", "Ada"));
		assertThat(outcome.result()).isEqualTo(Map.of("greeting", "hi", "n", 3L, "list", List.of(1L, 2L, 3L)));
	}

	@Test
	void aRuntimeErrorNamesItsLine() {
		RunOutcome outcome = fixture.run("""
				print("before")
				local t = nil
				local x = t.field
				""");
		assertThat(outcome.status()).isEqualTo("error");
		assertThat(outcome.error().kind()).isEqualTo("lua");
		assertThat(outcome.error().line()).isEqualTo(3);
		assertThat(outcome.error().message()).startsWith("main.lua:3: ");
		assertThat(outcome.error().traceback()).contains("main.lua");
	}

	@Test
	void errorMessagesSeenByPcallLookLikeLua() {
		RunOutcome outcome = fixture.run("""
				local ok, err = pcall(function() error("boom") end)
				print(ok, err)
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("false\tmain.lua:1: boom");
	}

	@Test
	void requireFindsTheSpellsOwnModules() {
		fixture.modules.put("util", "return { twice = function(x) return x * 2 end }");
		RunOutcome outcome = fixture.run("local util = require('util'); return util.twice(21)");
		assertThat(outcome.result()).isEqualTo(42L);
	}

	@Test
	void jsonRoundTrips() {
		RunOutcome outcome = fixture
			.run("""
					local text = json.encode({ a = 1, b = { true, false }, c = json.null, d = {} })
					local back = json.decode('{"x": [1, 2, {"y": null}], "s": "é"}')
					local bad, err = json.decode("{nope")
					return { text = text, x2 = back.x[2], ynull = back.x[3].y == json.null, s = back.s, bad = bad == nil, err = err ~= nil }
					""");
		assertThat(outcome.status()).isEqualTo("ok");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) outcome.result();
		assertThat(result.get("text")).isEqualTo("{\"a\":1,\"b\":[true,false],\"c\":null,\"d\":{}}");
		assertThat(result).containsEntry("x2", 2L)
			.containsEntry("ynull", true)
			.containsEntry("s", "é")
			.containsEntry("bad", true)
			.containsEntry("err", true);
	}

}
