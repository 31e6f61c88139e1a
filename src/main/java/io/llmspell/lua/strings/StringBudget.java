package io.llmspell.lua.strings;

/** Placeholder replaced by the strings branch. */
public interface StringBudget {

	long maxStringSize();

	void checkpoint();

	void allocated(long bytes);

}
