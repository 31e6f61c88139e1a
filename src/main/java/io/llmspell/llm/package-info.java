/**
 * LLM providers: the non-blocking {@link io.llmspell.llm.LlmProvider} contract, the registry of
 * configured providers, and the built-in mock.
 */
package io.llmspell.llm;
