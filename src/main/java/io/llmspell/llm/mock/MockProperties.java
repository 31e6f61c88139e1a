package io.llmspell.llm.mock;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The built-in mock provider, under {@code llmspell.llm.mock}.
 *
 * @param latency how long each answer takes in all
 * @param model the model name it reports
 * @param chunks how many pieces a streamed answer comes in
 */
@ConfigurationProperties("llmspell.llm.mock")
public record MockProperties(@DefaultValue("300ms") Duration latency, @DefaultValue("mock-echo-1") String model,
		@DefaultValue("4") int chunks) {
}
