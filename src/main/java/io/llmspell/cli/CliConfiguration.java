package io.llmspell.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.FilterType;

/**
 * The command line's application: the service's own beans for spells, runs and providers,
 * and only the few auto-configurations they use. No web server, actuator, validation or
 * OpenAPI: a run from a terminal starts in about a second instead of several.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ComponentScan(
		basePackages = { "io.llmspell.spell", "io.llmspell.run", "io.llmspell.llm", "io.llmspell.outbound",
				"io.llmspell.store" },
		// nested configurations of test classes, which a test run has on the class path
		excludeFilters = @Filter(type = FilterType.REGEX, pattern = "io\\.llmspell\\..*Tests?\\$.*"))
@ConfigurationPropertiesScan({ "io.llmspell.spell", "io.llmspell.run", "io.llmspell.llm", "io.llmspell.outbound",
		"io.llmspell.store" })
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
		JacksonAutoConfiguration.class, WebClientAutoConfiguration.class })
class CliConfiguration {

	/** Run metrics are counted as in the server, just not exported. */
	@Bean
	MeterRegistry cliMeterRegistry() {
		return new SimpleMeterRegistry();
	}

}
