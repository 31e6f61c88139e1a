/**
 * A Lua 5.2 {@code string} library for LuaJ whose functions respect a per-run
 * {@link io.llmspell.lua.strings.StringBudget}: bounded result sizes and interruptible
 * pattern matching.
 */
package io.llmspell.lua.strings;
