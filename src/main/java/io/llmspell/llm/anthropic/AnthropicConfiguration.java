package io.llmspell.llm.anthropic;

import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.ProviderConfigured;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@code anthropic} provider bean, there when {@code llmspell.llm.anthropic.api-key}
 * is set ({@code ANTHROPIC_API_KEY}). It comes after {@code openai} among the providers.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(AnthropicConfiguration.AnthropicConfigured.class)
@EnableConfigurationProperties({ AnthropicProperties.class, LlmProperties.class })
public class AnthropicConfiguration {

	@Bean
	@Order(20)
	AnthropicProvider anthropicProvider(AnthropicProperties properties, LlmProperties llmProperties,
			ObjectProvider<WebClient.Builder> builder, ObjectProvider<MeterRegistry> registry) {
		return new AnthropicProvider(properties, llmProperties, builder.getIfAvailable(WebClient::builder),
				registry.getIfAvailable(() -> Metrics.globalRegistry));
	}

	static class AnthropicConfigured extends ProviderConfigured {

		AnthropicConfigured() {
			super("llmspell.llm.anthropic.api-key");
		}

	}

}
