package io.llmspell.lua;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.LlmProviders;
import io.llmspell.llm.mock.MockProperties;
import io.llmspell.llm.mock.MockProvider;
import io.llmspell.spell.Spell;

/**
 * Runs Lua source through {@link LuaRun} with the mock provider and records the events.
 */
final class LuaRunFixture {

	static final RunLimits LIMITS = new RunLimits(Duration.ofSeconds(10), 50_000_000, 256L << 20, 1 << 20, 10_000,
			1_000, 100, 16L << 20, 200);

	final List<Map.Entry<String, Map<String, Object>>> events = Collections.synchronizedList(new ArrayList<>());

	RunLimits limits = LIMITS;

	Duration latency = Duration.ofMillis(100);

	Map<String, Object> params = new LinkedHashMap<>();

	Map<String, String> modules = new LinkedHashMap<>();

	LuaRun run;

	String spellName = "test";

	ModuleBackends backends = ModuleBackends.NONE;

	/** The provider the run uses; the mock at {@link #latency} when null. */
	LlmProvider provider;

	java.util.function.Consumer<LuaRun> onStart = (started) -> {
	};

	RunOutcome run(String source) {
		Spell spell = spell(spellName, source, modules);
		LlmProvider mock = (provider != null) ? provider
				: new MockProvider(new MockProperties(latency, "mock-echo-1", 4));
		LlmProviders providers = new LlmProviders(List.of(mock), new LlmProperties(null, Duration.ofSeconds(30)));
		run = new LuaRun(spell, params, "run-1", limits, providers, mock, mock.defaultModel(),
				(event, data) -> events.add(Map.entry(event, data)), backends);
		onStart.accept(run);
		return run.execute();
	}

	List<String> eventNames() {
		synchronized (events) {
			return events.stream().map(Map.Entry::getKey).toList();
		}
	}

	List<Map<String, Object>> events(String name) {
		synchronized (events) {
			return events.stream().filter((event) -> event.getKey().equals(name)).map(Map.Entry::getValue).toList();
		}
	}

	List<String> output() {
		return events("output").stream().map((data) -> (String) data.get("text")).toList();
	}

	static Spell spell(String name, String source, Map<String, String> modules) {
		Map<String, Prototype> compiled = new LinkedHashMap<>();
		modules.forEach((module, code) -> compiled.put(module, compile(code, "lib/" + module + ".lua")));
		return new Spell(name, "1.0.0", "a test spell", "tests", List.of(), List.of(), Map.of(), null, Path.of("."),
				"main.lua", compile(source, "main.lua"), compiled);
	}

	static Prototype compile(String source, String chunkName) {
		try {
			return LuaC.instance.compile(new ByteArrayInputStream(source.getBytes(StandardCharsets.UTF_8)), chunkName);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
