package io.llmspell.llm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.llmspell.llm.anthropic.AnthropicConfiguration;
import io.llmspell.llm.anthropic.AnthropicProperties;
import io.llmspell.llm.anthropic.AnthropicProvider;
import io.llmspell.llm.mock.MockProperties;
import io.llmspell.llm.mock.MockProvider;
import io.llmspell.llm.openai.OpenAiConfiguration;
import io.llmspell.llm.openai.OpenAiProperties;
import io.llmspell.llm.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment variables users have, the {@code .env} file and the provider beans,
 * with application.yaml and the registered {@code .env} post-processor.
 */
class ProviderConfigurationTests {

	@TempDir
	Path dir;

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ LlmProperties.class, MockProperties.class })
	@Import({ OpenAiConfiguration.class, AnthropicConfiguration.class, MockProvider.class, LlmProviders.class })
	static class Providers {

	}

	/**
	 * The application with these environment variables and, if given, this {@code .env}
	 * content.
	 */
	private ConfigurableApplicationContext run(Map<String, Object> env, String dotEnv) throws Exception {
		Path file = dir.resolve(".env");
		if (dotEnv != null) {
			Files.writeString(file, dotEnv);
		}
		SpringApplication application = new SpringApplication(Providers.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(new StandardEnvironment() {
			@Override
			public Map<String, Object> getSystemEnvironment() {
				return env;
			}
		});
		application.setDefaultProperties(Map.of("spring.config.location", "classpath:/application.yaml",
				DotEnvEnvironmentPostProcessor.LOCATION_PROPERTY, file.toString(), "spring.main.banner-mode", "off"));
		return application.run();
	}

	@Test
	void withoutKeysOnlyTheMockIsThere() throws Exception {
		try (ConfigurableApplicationContext context = run(Map.of(), null)) {
			LlmProviders providers = context.getBean(LlmProviders.class);
			assertThat(providers.names()).containsExactly("mock");
			assertThat(providers.defaultProvider().name()).isEqualTo("mock");
			assertThat(context.getBeansOfType(OpenAiProvider.class)).isEmpty();
		}
	}

	@Test
	void environmentVariablesWinOverDotEnvAndBothProvidersAppear() throws Exception {
		Map<String, Object> env = new HashMap<>();
		env.put("OPENAI_API_KEY", "sk-from-env");
		env.put("OPENAI_BASE_URL", "");
		String dotEnv = """
				# keys for local runs
				OPENAI_API_KEY=sk-from-dotenv
				export ANTHROPIC_API_KEY="sk-ant-from-dotenv"
				OPENAI_MODEL='gpt-test'

				ANTHROPIC_MODEL=claude-test # the cheap one
				""";
		try (ConfigurableApplicationContext context = run(env, dotEnv)) {
			OpenAiProperties openAi = context.getBean(OpenAiProperties.class);
			assertThat(openAi.apiKey()).isEqualTo("sk-from-env");
			assertThat(openAi.baseUrl()).isEqualTo(OpenAiProperties.DEFAULT_BASE_URL);
			assertThat(openAi.model()).isEqualTo("gpt-test");
			AnthropicProperties anthropic = context.getBean(AnthropicProperties.class);
			assertThat(anthropic.apiKey()).isEqualTo("sk-ant-from-dotenv");
			assertThat(anthropic.model()).isEqualTo("claude-test");
			assertThat(anthropic.maxTokens()).isEqualTo(1024);

			LlmProviders providers = context.getBean(LlmProviders.class);
			assertThat(providers.names()).containsExactly("openai", "anthropic", "mock");
			assertThat(providers.defaultProvider().name()).isEqualTo("openai");
			assertThat(providers.find("anthropic")).containsInstanceOf(AnthropicProvider.class);
			assertThat(providers.defaultProvider().defaultModel()).isEqualTo("gpt-test");

			LlmProperties llm = context.getBean(LlmProperties.class);
			assertThat(llm.maxConcurrent()).isEqualTo(64);
			assertThat(llm.maxQueued()).isEqualTo(1000);
			assertThat(llm.maxRetries()).isEqualTo(2);
			assertThat(llm.timeout()).hasSeconds(60);
		}
	}

	@Test
	void aBaseUrlAloneEnablesOpenAiAndLlmspellProviderPicksTheDefault() throws Exception {
		Map<String, Object> env = Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1", "ANTHROPIC_API_KEY",
				"sk-ant-x", "LLMSPELL_PROVIDER", "anthropic", "ANTHROPIC_BASE_URL", "http://proxy:8080");
		try (ConfigurableApplicationContext context = run(env, null)) {
			assertThat(context.getBean(OpenAiProperties.class).apiKey()).isNull();
			assertThat(context.getBean(OpenAiProperties.class).baseUrl()).isEqualTo("http://localhost:11434/v1");
			assertThat(context.getBean(AnthropicProperties.class).baseUrl()).isEqualTo("http://proxy:8080");
			LlmProviders providers = context.getBean(LlmProviders.class);
			assertThat(providers.names()).containsExactly("openai", "anthropic", "mock");
			assertThat(providers.defaultProvider().name()).isEqualTo("anthropic");
		}
	}

	@Test
	void resilienceSettingsBind() throws Exception {
		Map<String, Object> env = Map.of("LLMSPELL_LLM_MAXCONCURRENT", "5", "LLMSPELL_LLM_MAXQUEUED", "7",
				"LLMSPELL_LLM_TIMEOUT", "2s", "LLMSPELL_LLM_RETRYAFTERCAP", "5s");
		try (ConfigurableApplicationContext context = run(env, null)) {
			LlmProperties llm = context.getBean(LlmProperties.class);
			assertThat(llm.maxConcurrent()).isEqualTo(5);
			assertThat(llm.maxQueued()).isEqualTo(7);
			assertThat(llm.timeout()).hasSeconds(2);
			assertThat(llm.retryAfterCap()).hasSeconds(5);
			assertThat(llm.initialBackoff()).hasMillis(500);
			assertThat(llm.maxBackoff()).hasSeconds(8);
		}
	}

}
