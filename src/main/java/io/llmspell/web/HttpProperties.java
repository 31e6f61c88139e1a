package io.llmspell.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTP settings, under {@code llmspell.http}.
 *
 * @param heartbeat how long an SSE stream may stay silent before a {@code : keep-alive}
 * comment
 * @param retry the reconnection delay sent to EventSource clients in the {@code retry:}
 * field
 */
@ConfigurationProperties("llmspell.http")
public record HttpProperties(@DefaultValue("15s") Duration heartbeat, @DefaultValue("2s") Duration retry) {
}
