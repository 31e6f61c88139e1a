package io.llmspell.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Optional API-key authentication, under {@code llmspell.auth}. Off while
 * {@code api-keys} is empty (the default, for local use). Set it by environment for a
 * deployment: {@code LLMSPELL_AUTH_API_KEYS=key-one,key-two}.
 *
 * @param apiKeys the bearer tokens that are let in
 * @param openPaths path patterns that stay open with auth on (health, for probes; the
 * playground's static page, which holds no data and asks for the key itself)
 */
@ConfigurationProperties("llmspell.auth")
public record AuthProperties(@DefaultValue List<String> apiKeys, @DefaultValue( {
		"/actuator/health", "/actuator/health/**", "/", "/index.html", "/playground/**" }) List<String> openPaths){

	public boolean enabled() {
		return apiKeys.stream().anyMatch((key) -> !key.isBlank());
	}

}
