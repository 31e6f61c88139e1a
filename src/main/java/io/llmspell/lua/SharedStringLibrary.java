package io.llmspell.lua;

import org.luaj.vm2.LuaTable;

import io.llmspell.lua.strings.BoundedStringLib;
import io.llmspell.lua.strings.StringBudget;

/**
 * The string library: one set of bounded functions for the JVM, which find the current
 * run's budget through {@link LuaSandbox#CURRENT}. The string metatable's {@code __index}
 * is a read-only table of them; each run's {@code string} global is a fresh table of the
 * same functions.
 */
final class SharedStringLibrary {

	private static final StringBudget OUTSIDE_A_RUN = new StringBudget() {
		@Override
		public long maxStringSize() {
			return 1 << 20;
		}

		@Override
		public void checkpoint() {
		}

		@Override
		public void allocated(long bytes) {
		}
	};

	private static final BoundedStringLib LIBRARY = new BoundedStringLib(() -> {
		RunGuard guard = LuaSandbox.CURRENT.get();
		return (guard != null) ? guard : OUTSIDE_A_RUN;
	});

	private SharedStringLibrary() {
	}

	/** The read-only table behind every string's methods. */
	static LuaTable shared() {
		return new ReadOnlyTable(LIBRARY.newTable(), "the string library");
	}

	/** A run's own {@code string} table. */
	static LuaTable forRun() {
		return LIBRARY.newTable();
	}

}
