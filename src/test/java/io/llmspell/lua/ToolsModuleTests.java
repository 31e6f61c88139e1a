package io.llmspell.lua;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code tools} module: go-llmspell's functions, their return conventions, argument
 * validation with JSON Schema, and the built-in {@code web_fetch}.
 */
class ToolsModuleTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	private static final String CALCULATOR = """
			local ok = tools.register("calc", "Arithmetic", {
			  type = "object",
			  properties = { op = { type = "string", enum = {"add", "div"} }, a = { type = "number" }, b = { type = "number" } },
			  required = {"op", "a", "b"}
			}, function(p)
			  if p.op == "add" then return p.a + p.b end
			  if p.b == 0 then return nil, "Division by zero" end
			  return p.a / p.b
			end)
			""";

	@Test
	void registerExecuteGetListRemoveValidate() {
		fixture.run(CALCULATOR + """
				print(ok)
				print(tools.execute("calc", {op = "add", a = 10, b = 5}))
				print(tools.execute("calc", {op = "div", a = 1, b = 0}))
				print(tools.validate("calc", {op = "add", a = 1, b = 2}))
				print(tools.validate("calc", {op = "add", a = 1}))
				print(tools.validate("calc", {op = "pow", a = 1, b = "x"}))
				print(tools.execute("calc", {op = "add", a = "ten", b = 5}))
				local info = tools.get("calc")
				print(info.name, info.description, json.encode(info.parameters.required))
				for i, tool in ipairs(tools.list()) do print(i, tool.name, tool.builtin) end
				print(tools.remove("calc"))
				print(tools.remove("calc"))
				print(tools.get("calc"))
				print(#tools.list())
				""");
		assertThat(fixture.output()).containsExactly("true", "15", "nil\tDivision by zero", "true",
				"false\tinvalid arguments for tool 'calc': $: required property 'b' not found",
				"false\tinvalid arguments for tool 'calc': $.b: string found, number expected; $.op: does not have a value in the enumeration [\"add\", \"div\"]",
				"nil\tinvalid arguments for tool 'calc': $.a: string found, number expected",
				"calc\tArithmetic\t[\"op\",\"a\",\"b\"]", "1\tweb_fetch\ttrue", "2\tcalc\tfalse", "true",
				"false\tunknown tool 'calc'; registered: web_fetch", "nil\tunknown tool 'calc'; registered: web_fetch",
				"1");
	}

	@Test
	void registrationMistakesAreNilAndWhy() {
		fixture.run(CALCULATOR + """
				print(tools.register("calc", "again", {type = "object"}, function() end))
				print(tools.register("no spaces", "", {type = "object"}, function() end))
				print(tools.register("bad_schema", "", {type = 42}, function() end))
				""");
		assertThat(fixture.output()).hasSize(3);
		assertThat(fixture.output().get(0)).isEqualTo("nil\ttool 'calc' is already registered");
		assertThat(fixture.output().get(1)).startsWith("nil\tinvalid tool name 'no spaces'");
		assertThat(fixture.output().get(2)).startsWith("nil\tinvalid schema: $.type: ");
	}

	@Test
	void aToolThatRaisesGivesNilAndTheError() {
		fixture.run("""
				tools.register("boom", "", {type = "object"}, function() error("it broke") end)
				print(tools.execute("boom", {}))
				""");
		assertThat(fixture.output()).containsExactly("nil\tmain.lua:1: it broke");
	}

	@Test
	void webFetchAnswersThatHttpIsNotEnabledUntilTheHttpModuleGivesItAFetcher() {
		fixture.run("""
				print(tools.execute("web_fetch", {url = "https://example.com/"}))
				print(tools.validate("web_fetch", {}))
				""");
		assertThat(fixture.output()).containsExactly("nil\thttp is not enabled",
				"false\tinvalid arguments for tool 'web_fetch': $: required property 'url' not found");
	}

	@Test
	void aSchemaCannotReachOutsideItself() {
		fixture.run("""
				print(tools.register("peek", "", {["$ref"] = "file:///etc/passwd"}, function() return 1 end))
				print(tools.validate("peek", {}))
				""");
		assertThat(String.join("\n", fixture.output())).doesNotContain("root:");
	}

	@Test
	void referencesInsideTheSchemaWork() {
		fixture.run("""
				print(tools.register("trip", "", {
				  type = "object",
				  ["$defs"] = { city = { type = "string", minLength = 2 } },
				  properties = { from = { ["$ref"] = "#/$defs/city" }, to = { ["$ref"] = "#/$defs/city" } },
				  required = {"from", "to"}
				}, function(p) return p.from .. "-" .. p.to end))
				print(tools.execute("trip", {from = "Paris", to = "Rome"}))
				print(tools.validate("trip", {from = "P", to = "Rome"}))
				""");
		assertThat(fixture.output()).containsExactly("true", "Paris-Rome",
				"false\tinvalid arguments for tool 'trip': $.from: must be at least 2 characters long");
	}

	@Test
	void theLimitsHoldInsideATool() {
		fixture.limits = new RunLimits(Duration.ofSeconds(5), 2_000_000, 256L << 20, 1 << 20, 10_000, 50, 100,
				16L << 20, 200);
		RunOutcome spin = fixture.run("""
				tools.register("spin", "", {type = "object"}, function() while true do end end)
				print(llm.chat("call spin", {tools = {"spin"}}))
				""");
		assertThat(spin.status()).isEqualTo("limit");
		assertThat(spin.error().limit()).isEqualTo("max-instructions");

		LuaRunFixture flood = new LuaRunFixture();
		flood.limits = fixture.limits;
		RunOutcome pending = flood.run("""
				tools.register("flood", "", {type = "object"}, function()
				  for i = 1, 1000 do llm.chat_async("x", function() end) end
				end)
				print(pcall(llm.chat, "call flood", {tools = {"flood"}}))
				""");
		assertThat(pending.status()).isEqualTo("limit");
		assertThat(pending.error().limit()).isEqualTo("max-pending");

		LuaRunFixture slow = new LuaRunFixture();
		slow.limits = new RunLimits(Duration.ofMillis(800), 50_000_000, 256L << 20, 1 << 20, 10_000, 50, 100, 16L << 20,
				200);
		RunOutcome timeout = slow.run("""
				tools.register("nap", "", {type = "object"}, function() sleep(60) end)
				print(llm.chat("call nap", {tools = {"nap"}}))
				""");
		assertThat(timeout.status()).isEqualTo("timeout");
	}

}
