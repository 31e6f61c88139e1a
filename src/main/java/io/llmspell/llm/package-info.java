/**
 * LLM providers: the non-blocking {@link io.llmspell.llm.LlmProvider} contract, the
 * registry of configured providers, the built-in mock, and the plumbing the HTTP
 * providers share ({@link io.llmspell.llm.LlmHttpClient}: connection pool,
 * {@link io.llmspell.llm.ConcurrencyLimiter}, {@link io.llmspell.llm.RetryPolicy},
 * timeout, {@link io.llmspell.llm.LlmMetrics}, {@link io.llmspell.llm.LlmErrors}). The
 * providers themselves live in {@code openai} and {@code anthropic}.
 */
package io.llmspell.llm;
