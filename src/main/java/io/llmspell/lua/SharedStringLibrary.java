package io.llmspell.lua;

import java.util.function.Supplier;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.StringLib;

import io.llmspell.lua.strings.StringBudget;

/** The string library every run shares, read-only, without {@code string.dump}. */
final class SharedStringLibrary {

	private SharedStringLibrary() {
	}

	static LuaTable create(Supplier<StringBudget> budget) {
		Globals scratch = new Globals();
		LuaTable packageTable = new LuaTable();
		packageTable.set("loaded", new LuaTable());
		scratch.set("package", packageTable);
		LuaTable library = (LuaTable) new StringLib().call(LuaValue.valueOf("string"), scratch);
		library.set("dump", LuaValue.NIL);
		return new ReadOnlyTable(library, "the string library");
	}

}
