package io.llmspell.llm.openai;

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
 * The {@code openai} provider bean, there when {@code llmspell.llm.openai.api-key} or
 * {@code llmspell.llm.openai.base-url} is set ({@code OPENAI_API_KEY},
 * {@code OPENAI_BASE_URL}). It comes first among the providers, so that it is the default
 * when no {@code llmspell.llm.provider} is named.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OpenAiConfiguration.OpenAiConfigured.class)
@EnableConfigurationProperties({ OpenAiProperties.class, LlmProperties.class })
public class OpenAiConfiguration {

	@Bean
	@Order(10)
	OpenAiProvider openAiProvider(OpenAiProperties properties, LlmProperties llmProperties,
			ObjectProvider<WebClient.Builder> builder, ObjectProvider<MeterRegistry> registry) {
		return new OpenAiProvider(properties, llmProperties, builder.getIfAvailable(WebClient::builder),
				registry.getIfAvailable(() -> Metrics.globalRegistry));
	}

	static class OpenAiConfigured extends ProviderConfigured {

		OpenAiConfigured() {
			super("llmspell.llm.openai.api-key", "llmspell.llm.openai.base-url");
		}

	}

}
