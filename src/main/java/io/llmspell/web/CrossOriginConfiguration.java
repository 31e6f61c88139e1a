package io.llmspell.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * CORS from {@link CorsProperties}: one policy for every path. The filters run before
 * authentication, so that a preflight (which carries no credentials) is answered, and
 * {@link OriginCheckFilter} first refuses what the policy does not allow.
 */
@Configuration(proxyBeanMethods = false)
class CrossOriginConfiguration {

	@Bean
	CorsConfigurationSource corsConfigurationSource(CorsProperties properties) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (properties.enabled()) {
			CorsConfiguration cors = new CorsConfiguration();
			properties.allowedOrigins()
				.stream()
				.filter((origin) -> !origin.isBlank())
				.forEach((origin) -> cors.addAllowedOriginPattern(origin.strip()));
			cors.setAllowedMethods(properties.allowedMethods());
			cors.setAllowedHeaders(properties.allowedHeaders());
			cors.setExposedHeaders(properties.exposedHeaders());
			cors.setAllowCredentials(properties.allowCredentials());
			cors.setMaxAge(properties.maxAge());
			source.registerCorsConfiguration("/**", cors);
		}
		return source;
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	CorsWebFilter corsWebFilter(CorsConfigurationSource source) {
		return new CorsWebFilter(source);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	OriginCheckFilter originCheckFilter(CorsConfigurationSource source) {
		return new OriginCheckFilter(source);
	}

}
