package io.llmspell.lua;

import java.util.function.Function;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua functions written as Java lambdas, named so that error messages say which one
 * failed.
 */
final class LuaFunctions {

	private LuaFunctions() {
	}

	static LuaValue named(String name, Function<Varargs, Varargs> body) {
		return new Named(name, body);
	}

	static Varargs failure(String message) {
		return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(message));
	}

	private static final class Named extends VarArgFunction {

		private final Function<Varargs, Varargs> body;

		Named(String name, Function<Varargs, Varargs> body) {
			this.name = name;
			this.body = body;
		}

		@Override
		public Varargs invoke(Varargs args) {
			return body.apply(args);
		}

	}

}
