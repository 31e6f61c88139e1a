/**
 * The Lua runtime: a fresh, sandboxed LuaJ state per run
 * ({@link io.llmspell.lua.LuaSandbox}), the guard that enforces the run's limits from
 * inside the interpreter ({@link io.llmspell.lua.RunGuard}), the run's event loop
 * ({@link io.llmspell.lua.EventLoop}), and the modules a spell sees: {@code llm},
 * {@code async}, {@code promise}, {@code json}, {@code log}.
 * {@link io.llmspell.lua.LuaRun} runs one spell to its end.
 */
package io.llmspell.lua;
