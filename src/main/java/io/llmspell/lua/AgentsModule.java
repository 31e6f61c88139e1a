package io.llmspell.lua;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import io.llmspell.tools.ToolRegistry;

import static io.llmspell.lua.LuaKeys.key;

/**
 * The {@code agents} module. {@code agents.create{...}} makes an LLM agent: a system
 * prompt, tools and a model, run through the {@code llm} module's calls with
 * {@code opts.tools} (so it loops over tool calls like any call). go-llmspell's registry
 * holds those and Lua agents (a table with {@code execute(self, input, opts)}, or a
 * function), by name, for the run.
 */
final class AgentsModule {

	/** Agents one run may hold. */
	static final int MAX_AGENTS = 128;

	private final ToolRegistry tools;

	private final Map<String, Agent> agents = new LinkedHashMap<>();

	private LuaTable llm;

	private int lastId;

	AgentsModule(ToolRegistry tools) {
		this.tools = tools;
	}

	LuaTable table(LuaTable llmTable) {
		this.llm = llmTable;
		LuaTable table = new LuaTable(0, 9);
		table.set(key("create"), LuaFunctions.named("create", this::create));
		table.set(key("register"), LuaFunctions.named("register", (args) -> {
			String name = args.checkjstring(1);
			LuaValue impl = args.arg(2);
			if (!impl.isfunction() && !(impl.istable() && impl.get("execute").isfunction())) {
				throw new LuaError("bad argument #2 to 'register' (a function or a table with an execute method)");
			}
			String error = add(new Agent(name, null, impl));
			return (error == null) ? LuaValue.TRUE : failure(error);
		}));
		table.set(key("execute"), LuaFunctions.named("execute", (args) -> {
			Agent agent = agents.get(args.checkjstring(1));
			if (agent == null) {
				return LuaFunctions.failure(unknown(args.checkjstring(1)));
			}
			return execute(agent, args.arg(2), args.arg(3));
		}));
		table.set(key("stream"), LuaFunctions.named("stream", (args) -> {
			Agent agent = agents.get(args.checkjstring(1));
			if (agent == null) {
				return failure(unknown(args.checkjstring(1)));
			}
			LuaValue error = stream(agent, args.arg(2), args.checkfunction(3), args.arg(4));
			return error.isnil() ? LuaValue.TRUE : LuaValue.varargsOf(LuaValue.FALSE, error);
		}));
		table.set(key("list"), LuaFunctions.named("list", (args) -> {
			LuaTable list = new LuaTable();
			agents.values().forEach((agent) -> list.insert(0, agent.info()));
			return list;
		}));
		table.set(key("get"), LuaFunctions.named("get", (args) -> {
			Agent agent = agents.get(args.checkjstring(1));
			return (agent == null) ? LuaFunctions.failure(unknown(args.checkjstring(1))) : agent.info();
		}));
		table.set(key("remove"), LuaFunctions.named("remove", (args) -> (agents.remove(args.checkjstring(1)) != null)
				? LuaValue.TRUE : failure(unknown(args.checkjstring(1)))));
		table.set(key("update_system_prompt"), LuaFunctions.named("update_system_prompt", (args) -> {
			Agent agent = agents.get(args.checkjstring(1));
			if (agent == null) {
				return failure(unknown(args.checkjstring(1)));
			}
			agent.systemPrompt(args.checkjstring(2));
			return LuaValue.TRUE;
		}));
		table.set(key("add_tool"), LuaFunctions.named("add_tool", (args) -> {
			Agent agent = agents.get(args.checkjstring(1));
			if (agent == null) {
				return failure(unknown(args.checkjstring(1)));
			}
			LuaValue tool = args.arg(2);
			String toolName = tool.istable() ? tool.get("name").optjstring(null) : tool.optjstring(null);
			if (toolName == null || tools.get(toolName).isEmpty()) {
				return failure("unknown tool '" + toolName + "'; registered: " + String.join(", ", tools.names()));
			}
			agent.addTool(toolName);
			return LuaValue.TRUE;
		}));
		return table;
	}

	/**
	 * {@code agents.create{name=, system_prompt=, tools=, model=, provider=,
	 * max_steps=}}.
	 */
	private Varargs create(Varargs args) {
		LuaTable config = args.checktable(1);
		String name = config.get("name").isnil() ? "agent-" + (++lastId) : config.get("name").checkjstring();
		LuaTable defaults = new LuaTable();
		for (String key : new String[] { "model", "provider", "max_steps", "temperature", "max_tokens", "timeout" }) {
			defaults.set(key, config.get(key));
		}
		Agent agent = new Agent(name, defaults, null);
		LuaValue system = config.get("system_prompt");
		agent.systemPrompt(system.isnil() ? null : system.checkjstring());
		LuaValue toolList = config.get("tools");
		if (toolList.istable()) {
			for (int i = 1; i <= toolList.length(); i++) {
				String toolName = toolList.get(i).checkjstring();
				if (tools.get(toolName).isEmpty()) {
					return LuaFunctions
						.failure("unknown tool '" + toolName + "'; registered: " + String.join(", ", tools.names()));
				}
				agent.addTool(toolName);
			}
		}
		String error = add(agent);
		return (error == null) ? agent.object() : LuaFunctions.failure(error);
	}

	private String add(Agent agent) {
		if (!agents.containsKey(agent.name) && agents.size() >= MAX_AGENTS) {
			return "too many agents (at most " + MAX_AGENTS + ")";
		}
		agents.put(agent.name, agent);
		return null;
	}

	private Varargs execute(Agent agent, LuaValue input, LuaValue opts) {
		if (agent.impl == null) {
			return llm.get("chat").invoke(LuaValue.varargsOf(input, agent.options(opts)));
		}
		try {
			return agent.impl.isfunction() ? agent.impl.invoke(LuaValue.varargsOf(input, opts))
					: agent.impl.get("execute").invoke(LuaValue.varargsOf(agent.impl, input, opts));
		}
		catch (LuaError error) {
			LuaValue message = error.getMessageObject();
			return LuaFunctions.failure(
					(message != null && message.isstring()) ? message.tojstring() : String.valueOf(error.getMessage()));
		}
	}

	/** Streams an LLM agent's answer; a Lua agent's result is one chunk. */
	private LuaValue stream(Agent agent, LuaValue input, LuaValue onChunk, LuaValue opts) {
		if (agent.impl == null) {
			return llm.get("stream_chat").invoke(LuaValue.varargsOf(input, onChunk, agent.options(opts))).arg1();
		}
		Varargs result = execute(agent, input, opts);
		if (result.arg1().isnil()) {
			return result.arg(2).isnil() ? LuaValue.valueOf("the agent returned nothing") : result.arg(2);
		}
		onChunk.call(result.arg1());
		return LuaValue.NIL;
	}

	private static Varargs failure(String message) {
		return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(message));
	}

	private String unknown(String name) {
		return "unknown agent '" + name + "'; registered: " + String.join(", ", agents.keySet());
	}

	/** An LLM agent ({@code impl} null) or a Lua one. */
	private final class Agent {

		final String name;

		/** The call options of an LLM agent. */
		final LuaTable defaults;

		final LuaValue impl;

		private String systemPrompt;

		private final List<String> toolNames = new ArrayList<>();

		Agent(String name, LuaTable defaults, LuaValue impl) {
			this.name = name;
			this.defaults = defaults;
			this.impl = impl;
			if (impl != null && impl.istable()) {
				systemPrompt = impl.get("system_prompt").optjstring(null);
			}
		}

		void systemPrompt(String text) {
			systemPrompt = text;
			if (impl != null && impl.istable()) {
				impl.set(key("system_prompt"), (text != null) ? LuaValue.valueOf(text) : LuaValue.NIL);
			}
		}

		void addTool(String toolName) {
			if (!toolNames.contains(toolName)) {
				toolNames.add(toolName);
			}
			if (impl != null && impl.istable()) {
				LuaValue list = impl.get("tools");
				if (!list.istable()) {
					list = new LuaTable();
					impl.set(key("tools"), list);
				}
				list.set(list.length() + 1, LuaValue.valueOf(toolName));
			}
		}

		/** The agent's options, with a call's own {@code opts} over them. */
		LuaTable options(LuaValue opts) {
			LuaTable merged = new LuaTable();
			LuaValue key = LuaValue.NIL;
			while (true) {
				Varargs next = defaults.next(key);
				key = next.arg1();
				if (key.isnil()) {
					break;
				}
				merged.set(key, next.arg(2));
			}
			if (systemPrompt != null) {
				merged.set(key("system"), LuaValue.valueOf(systemPrompt));
			}
			if (!toolNames.isEmpty()) {
				merged.set(key("tools"), LuaValues.toLua(toolNames));
			}
			if (opts.istable()) {
				key = LuaValue.NIL;
				while (true) {
					Varargs next = opts.next(key);
					key = next.arg1();
					if (key.isnil()) {
						break;
					}
					merged.set(key, next.arg(2));
				}
			}
			return merged;
		}

		LuaTable info() {
			LuaTable info = new LuaTable();
			info.set(key("name"), LuaValue.valueOf(name));
			info.set(key("kind"), LuaValue.valueOf((impl == null) ? "llm" : "lua"));
			if (systemPrompt != null) {
				info.set(key("system_prompt"), LuaValue.valueOf(systemPrompt));
			}
			info.set(key("tools"), LuaValues.toLua(toolNames));
			if (defaults != null) {
				info.set(key("model"), defaults.get("model"));
				info.set(key("provider"), defaults.get("provider"));
			}
			return info;
		}

		/** The object {@code agents.create} returns. */
		LuaTable object() {
			LuaTable object = new LuaTable();
			object.set(key("name"), LuaValue.valueOf(name));
			object.set(key("run"), LuaFunctions.named("run", (args) -> execute(this, args.arg(2), args.arg(3))));
			object.set(key("run_async"), LuaFunctions.named("run_async", (args) -> llm.get("chat_async")
				.invoke(LuaValue.varargsOf(
						new LuaValue[] { args.arg(2), args.checkfunction(3), args.arg(4), options(args.arg(5)) }))));
			object.set(key("stream"), LuaFunctions.named("stream",
					(args) -> stream(this, args.arg(2), args.checkfunction(3), args.arg(4))));
			return object;
		}

	}

}
