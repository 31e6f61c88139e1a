package io.llmspell.outbound;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The outbound client of the {@code http} Lua module. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundConfiguration {

	/** The properties that hold provider API keys: no spell request may carry them. */
	static final List<String> SECRET_PROPERTIES = List.of("llmspell.llm.openai.api-key",
			"llmspell.llm.anthropic.api-key");

	@Bean(destroyMethod = "close")
	OutboundHttpClient outboundHttpClient(OutboundProperties properties, Environment environment,
			MeterRegistry registry, ObjectProvider<ObservationRegistry> observations) {
		List<String> secrets = SECRET_PROPERTIES.stream().map(environment::getProperty).toList();
		return new OutboundHttpClient(properties, secrets, registry,
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

}
