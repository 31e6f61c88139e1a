package io.llmspell.outbound;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One request a spell makes.
 *
 * @param method the HTTP method, upper case
 * @param url absolute {@code http} or {@code https} URL
 * @param headers request headers (never an API key of the service's own)
 * @param body the body, or null
 * @param timeout the whole exchange, redirects included, must end within it
 * @param maxResponseBytes the largest body read; past it the response is cut with an
 * error
 */
public record OutboundRequest(String method, URI url, Map<String, String> headers, byte[] body, Duration timeout,
		long maxResponseBytes) {

}
