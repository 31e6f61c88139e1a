package io.llmspell.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The {@code json} module: encode and decode with Jackson, through {@link LuaValues}. */
final class JsonModule {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JsonModule() {
	}

	static LuaTable table(RunGuard guard) {
		LuaTable json = new LuaTable();
		json.set("null", LuaValues.NULL);
		json.set("encode", LuaFunctions.named("encode", (args) -> {
			try {
				String text = JSON.writeValueAsString(LuaValues.toJava(args.arg1()));
				if (text.length() > guard.maxStringSize()) {
					return LuaFunctions.failure("json.encode: result larger than " + guard.maxStringSize() + " bytes");
				}
				return LuaValue.valueOf(text);
			}
			catch (LuaError | JacksonException ex) {
				return LuaFunctions.failure(message(ex));
			}
		}));
		json.set("decode", LuaFunctions.named("decode", (args) -> {
			try {
				return LuaValues.toLua(JSON.readValue(args.checkjstring(1), Object.class));
			}
			catch (LuaError | JacksonException ex) {
				return LuaFunctions.failure(message(ex));
			}
		}));
		return json;
	}

	private static String message(RuntimeException ex) {
		if (ex instanceof JacksonException jackson) {
			return "invalid JSON: " + jackson.getOriginalMessage();
		}
		return ex.getMessage();
	}

}
