package io.llmspell.lua;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mock provider's deterministic play of tools and schemas, as the docs describe it,
 * through every form of call.
 */
class MockToolPlayTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	{
		fixture.latency = Duration.ofMillis(10);
	}

	private static final String TOOLS = """
			tools.register("echo", "Echoes", {type = "object", properties = {say = {type = "string", enum = {"hi", "ho"}}},
			  required = {"say"}}, function(p) return p.say end)
			tools.register("count", "Counts", {type = "object", properties = {n = {type = "integer", minimum = 3}},
			  required = {"n"}}, function(p) return p.n end)
			""";

	@Test
	void argumentsComeFromThePromptOrConformToTheSchema() {
		fixture.run(TOOLS + """
				print(llm.chat('count first, then echo', {tools = true}))
				print(llm.chat('echo {"say": "ho"}', {tools = {"echo", "count"}}))
				print(llm.chat('nothing mentioned', {tools = true}))
				""");
		assertThat(fixture.output()).containsExactly("Mock answer from tools: count=3; echo=hi",
				"Mock answer from tools: echo=ho", "Mock answer to \"nothing mentioned\" (#"
						+ Integer.toHexString("nothing mentioned".hashCode() & 0xffff) + ")");
		assertThat(fixture.events("tool")).extracting((event) -> event.get("toolCallId"))
			.containsExactly("mock_call_1_1", "mock_call_1_2", "mock_call_1_1");
	}

	@Test
	void completeAndChatPromiseRunTheLoopAndSchemasConform() {
		RunOutcome outcome = fixture.run(
				TOOLS + """
						print(llm.complete('echo {"say": "hi"}', 50, {tools = {"echo"}}))
						print(llm.chat_promise('count {"n": 5}', {tools = {"count"}}):await())
						local v = llm.chat_promise("a record", {schema = {type = "object",
						  properties = {kind = {enum = {"a", "b"}}, tags = {type = "array", items = {type = "string"}, minItems = 2},
						                when = {type = "string", format = "date"}}}}):await()
						print(v.kind, #v.tags, v.when)
						print(llm.chat("bad [nonconforming]", {schema = {type = "object"}}))
						""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("Mock answer from tools: echo=hi",
				"Mock answer from tools: count=5", "a\t2\t2026-01-01",
				"nil\tmock: the answer does not conform to the schema: $: array found, object expected");
	}

}
