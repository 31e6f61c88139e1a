package io.llmspell.web;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access for browser pages served elsewhere, under
 * {@code llmspell.http.cors}. Off while {@code allowed-origins} is empty (the default):
 * then only same-origin pages (the playground) and non-browser clients may start or
 * cancel runs.
 *
 * @param allowedOrigins origins (or patterns such as {@code https://*.example.com}) whose
 * pages may call the API
 * @param allowedMethods methods a cross-origin page may use
 * @param allowedHeaders request headers a cross-origin page may send
 * @param exposedHeaders response headers a cross-origin page may read
 * @param allowCredentials whether cookies and {@code Authorization} may come along
 * @param maxAge how long a browser may cache a preflight's answer
 */
@ConfigurationProperties("llmspell.http.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue( {
		"GET", "POST", "DELETE" }) List<String> allowedMethods,
		@DefaultValue({ "Content-Type", "Accept", "Authorization", "Last-Event-ID",
				"Idempotency-Key" }) List<String> allowedHeaders,
		@DefaultValue({ "Location", "Retry-After", "Idempotent-Replayed" }) List<String> exposedHeaders,
		@DefaultValue("false") boolean allowCredentials, @DefaultValue("30m") Duration maxAge){

	public boolean enabled() {
		return allowedOrigins.stream().anyMatch((origin) -> !origin.isBlank());
	}

}
