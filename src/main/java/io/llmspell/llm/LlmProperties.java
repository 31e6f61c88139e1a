package io.llmspell.llm;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by every provider, under {@code llmspell.llm}.
 *
 * @param provider the default provider; empty picks the first configured real provider, else {@code mock}
 * @param timeout the per-call timeout when a spell sets none
 */
@ConfigurationProperties("llmspell.llm")
public record LlmProperties(String provider, @DefaultValue("60s") Duration timeout) {
}
