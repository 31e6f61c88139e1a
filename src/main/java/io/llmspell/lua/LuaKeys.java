package io.llmspell.lua;

import java.util.concurrent.ConcurrentHashMap;

import org.luaj.vm2.LuaString;

/**
 * The Lua strings of the names the runtime sets in every run's tables, each encoded once
 * for the process. LuaJ's {@code set(String, value)} encodes and hashes its key again on
 * every call: with the ~200 names of one sandbox, a tenth of a trivial run's CPU. Only
 * names written in the code come here (the map stays as small as they are).
 */
final class LuaKeys {

	private static final ConcurrentHashMap<String, LuaString> KEYS = new ConcurrentHashMap<>();

	private LuaKeys() {
	}

	static LuaString key(String name) {
		// a hit takes no lock (the map checks a bin's first node before locking it)
		return KEYS.computeIfAbsent(name, LuaString::valueOf);
	}

}
