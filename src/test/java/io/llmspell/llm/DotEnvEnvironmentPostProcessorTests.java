package io.llmspell.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class DotEnvEnvironmentPostProcessorTests {

	@TempDir
	Path dir;

	@Test
	void parsesTheUsualForms() {
		Map<String, Object> values = DotEnvEnvironmentPostProcessor.parse(List.of("# a comment", "", "   ",
				"PLAIN=value", "export EXPORTED=yes", "DOUBLE=\"with spaces # not a comment\"", "SINGLE='single'",
				"TRAILING=abc # comment", "SPACED = around ", "EMPTY=", "no equals sign", "=no key",
				"URL=http://localhost:11434/v1?x=y", "PLAIN=later wins"));
		assertThat(values).containsExactly(Map.entry("PLAIN", "later wins"), Map.entry("EXPORTED", "yes"),
				Map.entry("DOUBLE", "with spaces # not a comment"), Map.entry("SINGLE", "single"),
				Map.entry("TRAILING", "abc"), Map.entry("SPACED", "around"), Map.entry("EMPTY", ""),
				Map.entry("URL", "http://localhost:11434/v1?x=y"));
	}

	@Test
	void everyKeyWorksFromDotEnvAsFromTheEnvironment() throws IOException {
		// none of these is a ${...} placeholder in application.yaml: they bind by relaxed
		// name, over application.yaml's values (run-timeout 60s, max-retained 1000)
		Path env = Files.writeString(dir.resolve(".env"), """
				LLMSPELL_AUTH_API_KEYS=key-one,key-two
				LLMSPELL_LIMITS_RUN_TIMEOUT=5s
				LLMSPELL_RUNS_MAX_RETAINED=7
				OPENAI_API_KEY=sk-from-dotenv
				SPRING_PROFILES_ACTIVE=from-dotenv
				""");
		try (ConfigurableApplicationContext context = start(env)) {
			ConfigurableEnvironment environment = context.getEnvironment();
			Binder binder = Binder.get(environment);
			assertThat(binder.bind("llmspell.auth.api-keys", Bindable.listOf(String.class)).get())
				.containsExactly("key-one", "key-two");
			assertThat(binder.bind("llmspell.limits.run-timeout", Duration.class).get()).hasSeconds(5);
			assertThat(binder.bind("llmspell.runs.max-retained", Integer.class).get()).isEqualTo(7);
			// placeholders still see it
			assertThat(environment.getProperty("llmspell.llm.openai.api-key")).isEqualTo("sk-from-dotenv");
			assertThat(environment.getActiveProfiles()).containsExactly("from-dotenv");
			// the real environment comes first and wins
			List<String> names = environment.getPropertySources().stream().map((source) -> source.getName()).toList();
			assertThat(names.indexOf(DotEnvEnvironmentPostProcessor.PROPERTY_SOURCE))
				.isEqualTo(names.indexOf(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME) + 1);
		}
	}

	@Test
	void theCommandLineWinsOverDotEnv() throws IOException {
		Path env = Files.writeString(dir.resolve(".env"), "LLMSPELL_LIMITS_RUN_TIMEOUT=5s\n");
		try (ConfigurableApplicationContext context = start(env, "--llmspell.limits.run-timeout=9s")) {
			assertThat(Binder.get(context.getEnvironment()).bind("llmspell.limits.run-timeout", Duration.class).get())
				.hasSeconds(9);
		}
	}

	private static ConfigurableApplicationContext start(Path env, String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "--" + DotEnvEnvironmentPostProcessor.LOCATION_PROPERTY + "=" + env;
		System.arraycopy(args, 0, all, 1, args.length);
		return new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE).logStartupInfo(false).run(all);
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
