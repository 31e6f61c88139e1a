package io.llmspell.run;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service stops, under {@code llmspell.shutdown}.
 *
 * @param gracePeriod how long running and queued runs may go on once shutdown begins;
 * then they are cancelled and end with {@code done} status {@code cancelled}
 * @param cancelWait how long cancelled runs get to emit their {@code done} event before
 * the server stops
 */
@ConfigurationProperties("llmspell.shutdown")
public record ShutdownProperties(@DefaultValue("20s") Duration gracePeriod, @DefaultValue("5s") Duration cancelWait) {
}
