package io.llmspell.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description's header; springdoc derives the rest from the controllers, and
 * {@link CommonProblems} adds the problem responses they share; {@link AnyValues} makes a
 * Java {@code Object} any JSON value. Served at {@code /v3/api-docs}, with the
 * interactive page at {@code /swagger-ui.html}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	CommonProblems commonProblems() {
		return new CommonProblems();
	}

	@Bean
	AnyValues anyValues() {
		return new AnyValues();
	}

	@Bean
	OpenAPI llmspellOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		return new OpenAPI().info(new Info().title("llmspell")
			.version((properties != null) ? properties.getVersion() : "dev")
			.description("Runs Lua spells that orchestrate LLM calls. A run streams its events as Server-Sent "
					+ "Events (start, output, chunk, callback, tool, log, error, done), as NDJSON, or answers one JSON "
					+ "document at its end, as the Accept header asks. Errors before a run starts are RFC 9457 "
					+ "problem details."));
	}

}
