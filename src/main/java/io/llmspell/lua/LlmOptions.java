package io.llmspell.lua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code opts} table of an LLM call, read and checked. A key that is not an option,
 * or a value of the wrong type, is an {@link Invalid} (the call answers
 * {@code nil, err}); nothing is silently dropped.
 *
 * @param tools the tool names asked for; {@code null} for none, every registered tool for
 * {@code tools = true}
 * @param maxSteps model turns at most in a loop with tools
 */
record LlmOptions(String provider, String model, String system, Double temperature, Integer maxTokens, Duration timeout,
		List<String> tools, boolean allTools, Map<String, Object> schema, List<String> stop, Double topP, Long seed,
		Map<String, Object> responseFormat, int maxSteps) {

	static final int DEFAULT_MAX_STEPS = 8;

	/** A {@code max_steps} past this is refused: the run's limits bound a loop anyway. */
	static final int MAX_MAX_STEPS = 100;

	private static final Set<String> KNOWN = Set.of("provider", "model", "system", "temperature", "max_tokens",
			"timeout", "tools", "schema", "stop", "top_p", "seed", "response_format", "max_steps");

	/** Options no call set. */
	static final LlmOptions NONE = new LlmOptions(null, null, null, null, null, null, null, false, null, List.of(),
			null, null, null, DEFAULT_MAX_STEPS);

	/**
	 * Reads {@code opts}.
	 * @param maxTokens a positional {@code max_tokens} (of {@code complete}); the option
	 * wins
	 */
	static LlmOptions parse(LuaValue opts, Integer maxTokens) {
		if (opts.isnil()) {
			return (maxTokens == null) ? NONE : NONE.withMaxTokens(maxTokens);
		}
		LuaValue key = LuaValue.NIL;
		while (true) {
			Varargs next = opts.next(key);
			key = next.arg1();
			if (key.isnil()) {
				break;
			}
			if (!key.isstring() || !KNOWN.contains(key.tojstring())) {
				throw new Invalid("unknown option '" + key.tojstring() + "' (options: "
						+ String.join(", ", KNOWN.stream().sorted().toList()) + ")");
			}
		}
		LuaValue tools = opts.get("tools");
		List<String> toolNames = null;
		boolean allTools = false;
		if (tools.isboolean()) {
			allTools = tools.toboolean();
			toolNames = allTools ? List.of() : null;
		}
		else if (!tools.isnil()) {
			toolNames = strings("tools", tools);
		}
		LuaValue stop = opts.get("stop");
		return new LlmOptions(string(opts, "provider"), string(opts, "model"), string(opts, "system"),
				number(opts, "temperature"),
				opts.get("max_tokens").isnil() ? maxTokens : Integer.valueOf(integer(opts, "max_tokens")),
				opts.get("timeout").isnil() ? null : Duration.ofNanos(LlmModule.seconds(number(opts, "timeout"))),
				toolNames, allTools, table(opts, "schema"),
				stop.isnil() ? List.of() : (stop.isstring() ? List.of(stop.tojstring()) : strings("stop", stop)),
				number(opts, "top_p"), opts.get("seed").isnil() ? null : Long.valueOf(integer(opts, "seed")),
				table(opts, "response_format"), maxSteps(opts));
	}

	LlmOptions withMaxTokens(Integer newMaxTokens) {
		return new LlmOptions(provider, model, system, temperature, newMaxTokens, timeout, tools, allTools, schema,
				stop, topP, seed, responseFormat, maxSteps);
	}

	private static int maxSteps(LuaValue opts) {
		if (opts.get("max_steps").isnil()) {
			return DEFAULT_MAX_STEPS;
		}
		int steps = integer(opts, "max_steps");
		if (steps < 1 || steps > MAX_MAX_STEPS) {
			throw new Invalid("bad option 'max_steps' (1 to " + MAX_MAX_STEPS + ", got " + steps + ")");
		}
		return steps;
	}

	private static String string(LuaValue opts, String name) {
		LuaValue value = opts.get(name);
		if (value.isnil()) {
			return null;
		}
		if (!value.isstring()) {
			throw bad(name, "string", value);
		}
		return value.tojstring();
	}

	private static Double number(LuaValue opts, String name) {
		LuaValue value = opts.get(name);
		if (value.isnil()) {
			return null;
		}
		if (!value.isnumber()) {
			throw bad(name, "number", value);
		}
		return value.todouble();
	}

	private static int integer(LuaValue opts, String name) {
		LuaValue value = opts.get(name);
		if (!value.isnumber() || value.todouble() != Math.rint(value.todouble())) {
			throw bad(name, "integer", value);
		}
		return value.toint();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> table(LuaValue opts, String name) {
		LuaValue value = opts.get(name);
		if (value.isnil()) {
			return null;
		}
		if (!value.istable() || !(LuaValues.toJava(value) instanceof Map<?, ?> map)) {
			throw bad(name, "table with named fields", value);
		}
		return (Map<String, Object>) map;
	}

	private static List<String> strings(String name, LuaValue list) {
		if (!list.istable()) {
			throw bad(name, "list of strings", list);
		}
		List<String> values = new ArrayList<>();
		for (int i = 1; i <= list.length(); i++) {
			LuaValue item = list.get(i);
			if (!item.isstring()) {
				throw bad(name, "list of strings", item);
			}
			values.add(item.tojstring());
		}
		return values;
	}

	private static Invalid bad(String name, String expected, LuaValue got) {
		return new Invalid("bad option '" + name + "' (" + expected + " expected, got " + got.typename() + ")");
	}

	/** An option that cannot be used: the call answers {@code nil, message}. */
	static final class Invalid extends RuntimeException {

		Invalid(String message) {
			super(message, null, false, false);
		}

	}

}
