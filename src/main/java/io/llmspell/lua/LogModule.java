package io.llmspell.lua;

import java.util.LinkedHashMap;
import java.util.Map;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The {@code log} module: {@code log.debug|info|warn|error(message [, fields])} become
 * {@code log} events.
 */
final class LogModule {

	private LogModule() {
	}

	static LuaTable table(LuaRun run) {
		LuaTable log = new LuaTable(0, 4);
		for (String level : new String[] { "debug", "info", "warn", "error" }) {
			log.set(LuaKeys.key(level), LuaFunctions.named(level, (args) -> {
				String message = args.arg1().isnil() ? "" : run.tostring(args.arg1());
				Object fields = args.arg(2).istable() ? LuaValues.toJava(args.arg(2), run.outputBudget("log fields"))
						: Map.of();
				run.log(level, message, (fields instanceof Map<?, ?>) ? fields : Map.of("value", fields));
				return LuaValue.NONE;
			}));
		}
		return log;
	}

	static Map<String, Object> event(String level, String message, Object fields) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("level", level);
		data.put("message", message);
		data.put("fields", fields);
		return data;
	}

}
