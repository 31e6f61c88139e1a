/**
 * Tools a model may call: the per-run {@link io.llmspell.tools.ToolRegistry} with JSON
 * Schema validation of arguments ({@link io.llmspell.tools.JsonSchema}, on networknt's
 * validator), the state of a function-calling loop
 * ({@link io.llmspell.tools.ToolConversation}), structured answers
 * ({@link io.llmspell.tools.StructuredAnswer}) and the built-in {@code web_fetch}
 * ({@link io.llmspell.tools.WebFetchTool} over a {@link io.llmspell.tools.WebFetcher}).
 * Nothing here knows Lua: the {@code tools} and {@code agents} modules adapt it.
 */
package io.llmspell.tools;
