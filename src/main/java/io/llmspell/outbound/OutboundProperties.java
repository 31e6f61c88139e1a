package io.llmspell.outbound;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code http} Lua module's outbound settings, under {@code llmspell.http} (beside
 * the server's own SSE settings there). The per-run limits (requests, response size,
 * time) are with the other run limits, under {@code llmspell.limits}.
 *
 * @param allow the hosts spells may reach: {@code host}, {@code host:port},
 * {@code host:*}, {@code *.domain}, {@code *}, or an IP address; empty (the default):
 * none. A loopback, private or link-local address is reached only where it is listed as
 * that address ({@link HostAllowlist})
 * @param connectTimeout how long a connection may take to open
 * @param maxRedirects redirects followed per request, each one checked like the first
 * request
 * @param maxConnections open connections of all runs together
 */
@ConfigurationProperties("llmspell.http")
public record OutboundProperties(@DefaultValue List<String> allow, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("5") int maxRedirects, @DefaultValue("200") int maxConnections) {

}
