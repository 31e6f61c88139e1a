package io.llmspell.lua;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatFeature;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.mock.MockProperties;
import io.llmspell.llm.mock.MockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code agents} module: LLM agents made by {@code agents.create} (their system
 * prompt and tools reach the model, and they loop over tool calls), and go-llmspell's
 * registry of Lua agents.
 */
class AgentsModuleTests {

	private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

	private final LuaRunFixture fixture = new LuaRunFixture();

	{
		MockProvider mock = new MockProvider(new MockProperties(Duration.ofMillis(10), "mock-echo-1", 2));
		fixture.provider = new LlmProvider() {

			@Override
			public String name() {
				return mock.name();
			}

			@Override
			public String defaultModel() {
				return mock.defaultModel();
			}

			@Override
			public Mono<ChatResponse> chat(ChatRequest request) {
				requests.add(request);
				return mock.chat(request);
			}

			@Override
			public Flux<ChatChunk> stream(ChatRequest request) {
				requests.add(request);
				return mock.stream(request);
			}

			@Override
			public Mono<List<String>> listModels() {
				return mock.listModels();
			}

			@Override
			public java.util.Set<ChatFeature> features() {
				return mock.features();
			}
		};
	}

	private static final String ADD = """
			tools.register("add", "Adds", {type = "object", properties = {a = {type = "number"}, b = {type = "number"}},
			  required = {"a", "b"}}, function(p) return p.a + p.b end)
			""";

	@Test
	void anLlmAgentRunsItsToolLoopWithItsSystemPrompt() {
		RunOutcome outcome = fixture
			.run(ADD + """
					local agent = agents.create{name = "adder", system_prompt = "You add.", tools = {"add"}, max_steps = 4}
					print(agent.name, agent:run('please add {"a": 2, "b": 3}'))
					agent:run_async('add {"a": 1, "b": 1}', function(text, info) print("async", text, info.steps) end)
					async.wait_all()
					local pieces = {}
					print(agent:stream('add {"a": 4, "b": 4}', function(piece) pieces[#pieces + 1] = piece end), table.concat(pieces))
					print(agents.execute("adder", 'add {"a": 10, "b": 1}'))
					""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("adder\tMock answer from tools: add=5",
				"async\tMock answer from tools: add=2\t2", "nil\tMock answer from tools: add=8",
				"Mock answer from tools: add=11");
		assertThat(requests).allSatisfy((request) -> {
			assertThat(request.system()).isEqualTo("You add.");
			assertThat(request.tools()).extracting((tool) -> tool.name()).containsExactly("add");
		});
		assertThat(fixture.events("tool")).hasSize(4);
	}

	@Test
	void theRegistryHoldsLuaAgentsAndLlmAgents() {
		fixture.run(ADD + """
				local echo = {
				  system_prompt = "I echo.",
				  execute = function(self, input, options)
				    return self.system_prompt .. " " .. input .. " " .. tostring(options and options.loud)
				  end
				}
				print(agents.register("echo", echo))
				print(agents.execute("echo", "hello", {loud = true}))
				print(agents.update_system_prompt("echo", "I repeat."))
				print(agents.execute("echo", "again"))
				print(agents.add_tool("echo", "add"), echo.tools[1])
				print(agents.add_tool("echo", "missing"))
				agents.create{name = "helper"}
				for i, info in ipairs(agents.list()) do print(i, info.name, info.kind) end
				print(agents.get("echo").system_prompt, agents.get("echo").tools[1])
				print(agents.stream("echo", "streamed", function(piece) print("piece", piece) end))
				print(agents.remove("echo"))
				print(agents.remove("echo"))
				print(agents.execute("echo", "gone"))
				agents.register("failing", {execute = function() error("agent broke") end})
				print(agents.execute("failing", "x"))
				""");
		assertThat(fixture.output()).containsExactly("true", "I echo. hello true", "true", "I repeat. again nil",
				"true\tadd", "false\tunknown tool 'missing'; registered: web_fetch, add", "1\techo\tlua",
				"2\thelper\tllm", "I repeat.\tadd", "piece\tI repeat. streamed nil", "true", "true",
				"false\tunknown agent 'echo'; registered: helper", "nil\tunknown agent 'echo'; registered: helper",
				"nil\tmain.lua:22: agent broke");
	}

}
