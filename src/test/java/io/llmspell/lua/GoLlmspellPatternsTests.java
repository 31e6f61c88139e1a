package io.llmspell.lua;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways go-llmspell's own example spells use {@code tools} and {@code agents} (its
 * {@code tool-example} and {@code lua-agent}), written afresh here: each call shape and
 * return convention they rely on works unchanged.
 */
class GoLlmspellPatternsTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	@Test
	void theToolExamplePatterns() {
		RunOutcome outcome = fixture
			.run("""
					tools.register("calculator", "Basic arithmetic", {
					  type = "object",
					  properties = { operation = { type = "string", enum = {"add", "divide"} }, a = { type = "number" }, b = { type = "number" } },
					  required = {"operation", "a", "b"}
					}, function(params)
					  if params.operation == "divide" then
					    if params.b == 0 then return nil, "Division by zero" end
					    return params.a / params.b
					  end
					  return params.a + params.b
					end)
					tools.register("parser", "Parses JSON", {type = "object", properties = {data = {type = "string"}}, required = {"data"}},
					  function(params) return json.decode(params.data) end)
					for i, tool in ipairs(tools.list()) do print(string.format("%d. %s - %s", i, tool.name, tool.description)) end
					local result, err = tools.execute("calculator", {operation = "add", a = 10, b = 5})
					if err then print("Error:", err) else print("10 + 5 =", result) end
					result, err = tools.execute("calculator", {operation = "divide", a = 10, b = 0})
					if err then print("Division by zero error:", err) end
					result, err = tools.execute("parser", {data = '{"name": "Alice"}'})
					for k, v in pairs(result) do print(k .. ":", v) end
					local isValid, verr = tools.validate("calculator", {operation = "add", a = 1})
					if not isValid then print("Invalid parameters:", verr ~= nil) end
					local info = tools.get("calculator")
					print(info.name, json.encode(info.parameters.required))
					local success = tools.remove("parser")
					if success then print("removed") end
					""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("1. web_fetch - " + io.llmspell.tools.WebFetchTool.DESCRIPTION,
				"2. calculator - Basic arithmetic", "3. parser - Parses JSON", "10 + 5 =\t15",
				"Division by zero error:\tDivision by zero", "name:\tAlice", "Invalid parameters:\ttrue",
				"calculator\t[\"operation\",\"a\",\"b\"]", "removed");
	}

	@Test
	void theLuaAgentPatterns() {
		fixture.latency = Duration.ofMillis(10);
		RunOutcome outcome = fixture
			.run("""
					local research = {
					  system_prompt = "You research.",
					  execute = function(self, input, options)
					    local topic, err = llm.chat("Extract the topic: " .. input)
					    if err then return "Failed: " .. err end
					    local has_web_fetch = false
					    for _, tool in ipairs(tools.list()) do
					      if tool.name == "web_fetch" then has_web_fetch = true end
					    end
					    if not has_web_fetch then return "no web_fetch" end
					    local page, fetch_err = tools.execute("web_fetch", {url = "https://en.wikipedia.org/wiki/Lua"})
					    if fetch_err then return "Failed to fetch web content: " .. fetch_err end
					    return page.content
					  end
					}
					local success, err = agents.register("research-agent", research)
					if success then print("registered") else print(err) return end
					local result, rerr = agents.execute("research-agent", "Tell me about Lua")
					if result then print(result) else print("Error: " .. rerr) end
					tools.register("code_analyzer", "Counts lines", {type = "object",
					  properties = {code = {type = "string"}, language = {type = "string", default = "lua"}}, required = {"code"}},
					  function(params)
					    local lines = 0
					    for _ in params.code:gmatch("[^\\n]+") do lines = lines + 1 end
					    return {lines = lines}
					  end)
					agents.register("code-agent", {execute = function(self, input)
					  local analysis, aerr = tools.execute("code_analyzer", {code = input, language = "lua"})
					  if aerr then return "Failed: " .. aerr end
					  local review = llm.chat(string.format("Review %d lines", analysis.lines))
					  return string.format("Metrics: %d lines\\n%s", analysis.lines, review)
					end})
					print(agents.execute("code-agent", "local a = 1\\nlocal b = 2\\n"))
					""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).hasSize(3);
		assertThat(fixture.output().get(0)).isEqualTo("registered");
		assertThat(fixture.output().get(1)).isEqualTo("Failed to fetch web content: http is not enabled");
		assertThat(fixture.output().get(2)).startsWith("Metrics: 2 lines\nMock answer to \"Review 2 lines\"");
	}

}
