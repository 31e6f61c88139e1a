package io.llmspell.lua;

import java.util.Map;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import io.llmspell.tools.Tool;
import io.llmspell.tools.ToolFailure;
import io.llmspell.tools.ToolRegistry;
import io.llmspell.tools.WebFetchTool;
import io.llmspell.tools.WebFetcher;

import static io.llmspell.lua.LuaKeys.key;

/**
 * The {@code tools} module (go-llmspell's): a run's tool registry as Lua sees it, with
 * the built-in {@code web_fetch}. The same registry serves {@code opts.tools} of the LLM
 * calls.
 */
final class ToolsModule {

	/** Tools one run may register. */
	static final int MAX_TOOLS = 128;

	private final ToolRegistry registry = new ToolRegistry(MAX_TOOLS);

	private volatile WebFetcher webFetcher = WebFetcher.DISABLED;

	ToolsModule() {
		registry.register(WebFetchTool.NAME, WebFetchTool.DESCRIPTION, WebFetchTool.SCHEMA,
				WebFetchTool.handler(() -> webFetcher), true);
	}

	ToolRegistry registry() {
		return registry;
	}

	/**
	 * Where {@code web_fetch} goes: the {@code http} module sets its own fetcher when it
	 * is installed for the run; until then {@code web_fetch} answers
	 * {@code nil, "http is not enabled"}.
	 */
	void useWebFetcher(WebFetcher fetcher) {
		this.webFetcher = (fetcher != null) ? fetcher : WebFetcher.DISABLED;
	}

	LuaTable table() {
		LuaTable tools = new LuaTable(0, 6);
		tools.set(key("register"), LuaFunctions.named("register", this::register));
		tools.set(key("execute"), LuaFunctions.named("execute", (args) -> {
			Tool tool = registry.get(args.checkjstring(1)).orElse(null);
			if (tool == null) {
				return LuaFunctions.failure(unknown(args.checkjstring(1)));
			}
			Map<String, Object> toolArgs = arguments(args.arg(2));
			if (toolArgs == null) {
				return LuaFunctions.failure("arguments must be a table with named fields");
			}
			try {
				return LlmCall.toLua(registry.execute(tool, toolArgs));
			}
			catch (ToolFailure failure) {
				return LuaFunctions.failure(failure.getMessage());
			}
		}));
		tools.set(key("get"),
				LuaFunctions.named("get",
						(args) -> registry.get(args.checkjstring(1))
							.map((tool) -> (Varargs) info(tool))
							.orElseGet(() -> LuaFunctions.failure(unknown(args.checkjstring(1))))));
		tools.set(key("list"), LuaFunctions.named("list", (args) -> {
			LuaTable list = new LuaTable();
			registry.list().forEach((tool) -> list.insert(0, info(tool)));
			return list;
		}));
		tools.set(key("remove"), LuaFunctions.named("remove", (args) -> registry.remove(args.checkjstring(1))
				? LuaValue.TRUE : LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(unknown(args.checkjstring(1))))));
		tools.set(key("validate"), LuaFunctions.named("validate", (args) -> {
			Tool tool = registry.get(args.checkjstring(1)).orElse(null);
			if (tool == null) {
				return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(unknown(args.checkjstring(1))));
			}
			Map<String, Object> toolArgs = arguments(args.arg(2));
			String problems = (toolArgs != null) ? registry.problems(tool, toolArgs)
					: "arguments must be a table with named fields";
			return (problems == null) ? LuaValue.TRUE : LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(problems));
		}));
		return tools;
	}

	/** {@code tools.register(name, description, params_schema, fn)}. */
	private Varargs register(Varargs args) {
		String name = args.checkjstring(1);
		String description = args.isnil(2) ? "" : args.checkjstring(2);
		LuaTable schema = args.checktable(3);
		LuaValue function = args.checkfunction(4);
		Object parameters = LuaValues.toJava(schema);
		if (!(parameters instanceof Map<?, ?>)) {
			return LuaFunctions.failure("the parameters schema must be a table with named fields");
		}
		try {
			@SuppressWarnings("unchecked")
			Map<String, Object> map = (Map<String, Object>) parameters;
			registry.register(name, description, map, new LuaTool(function), false);
			return LuaValue.TRUE;
		}
		catch (IllegalArgumentException ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> arguments(LuaValue args) {
		if (args.isnil()) {
			return Map.of();
		}
		if (!args.istable()) {
			return null;
		}
		Object value = LuaValues.toJava(args);
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
	}

	private static LuaTable info(Tool tool) {
		LuaTable info = new LuaTable();
		info.set(key("name"), LuaValue.valueOf(tool.name()));
		info.set(key("description"), LuaValue.valueOf(tool.description()));
		info.set(key("parameters"), LuaValues.toLua(tool.parameters()));
		info.set(key("builtin"), LuaValue.valueOf(tool.builtIn()));
		return info;
	}

	private String unknown(String name) {
		return "unknown tool '" + name + "'; registered: " + String.join(", ", registry.names());
	}

}
