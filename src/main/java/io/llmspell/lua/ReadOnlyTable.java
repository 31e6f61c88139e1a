package io.llmspell.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A table no Lua code can change. Used for what every run shares: the string metatable
 * (one JVM-wide static in LuaJ) and the string library behind its {@code __index}.
 */
final class ReadOnlyTable extends LuaTable {

	private final String what;

	ReadOnlyTable(LuaTable contents, String what) {
		this.what = what;
		LuaValue key = LuaValue.NIL;
		while (true) {
			var next = contents.next(key);
			key = next.arg1();
			if (key.isnil()) {
				break;
			}
			super.rawset(key, next.arg(2));
		}
	}

	private LuaError refuse() {
		return new LuaError(what + " is read-only");
	}

	@Override
	public void rawset(int key, LuaValue value) {
		throw refuse();
	}

	@Override
	public void rawset(LuaValue key, LuaValue value) {
		throw refuse();
	}

	@Override
	public void set(int key, LuaValue value) {
		throw refuse();
	}

	@Override
	public void set(LuaValue key, LuaValue value) {
		throw refuse();
	}

	@Override
	public LuaValue setmetatable(LuaValue metatable) {
		throw refuse();
	}

	@Override
	public void insert(int pos, LuaValue value) {
		throw refuse();
	}

	@Override
	public LuaValue remove(int pos) {
		throw refuse();
	}

	@Override
	public void sort(LuaValue comparator) {
		throw refuse();
	}

}
