package io.llmspell.lua;

import java.util.Map;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import io.llmspell.tools.ToolFailure;
import io.llmspell.tools.ToolHandler;

/**
 * A tool written in Lua: {@code fn(args)} returns the result, or {@code nil, err}; an
 * error it raises is its failure too (the run's limits are not: they end the run).
 */
final class LuaTool implements ToolHandler {

	private final LuaValue function;

	LuaTool(LuaValue function) {
		this.function = function;
	}

	@Override
	public Object call(Map<String, Object> args) {
		Varargs result;
		try {
			result = function.invoke(LuaValues.toLua(args));
		}
		catch (LuaError error) {
			throw new ToolFailure(message(error));
		}
		if (result.arg1().isnil() && !result.arg(2).isnil()) {
			throw new ToolFailure(result.arg(2).tojstring());
		}
		try {
			return LuaValues.toJava(result.arg1());
		}
		catch (LuaError error) {
			throw new ToolFailure("the result cannot be sent: " + error.getMessage());
		}
	}

	private static String message(LuaError error) {
		LuaValue value = error.getMessageObject();
		return (value != null && value.isstring()) ? value.tojstring() : String.valueOf(error.getMessage());
	}

}
