package io.llmspell.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads {@code KEY=VALUE} lines from a {@code .env} file in the working directory (or
 * where {@code llmspell.env-file} / {@code LLMSPELL_ENV_FILE} points) as if they were
 * environment variables: the source sits right after the real environment (which wins)
 * and binds as relaxed as it does, so {@code LLMSPELL_AUTH_API_KEYS} sets
 * {@code llmspell.auth.api-keys} and {@code LLMSPELL_LIMITS_RUN_TIMEOUT}
 * {@code llmspell.limits.run-timeout}, over application.yaml. It is added before the
 * config files are read, so {@code SPRING_PROFILES_ACTIVE} works too. Blank lines and
 * {@code #} comments are skipped, an {@code export } prefix is dropped, and a value may
 * be quoted ({@code "..."} or {@code '...'}); an unquoted value ends at {@code " #"}. A
 * missing file is no error.
 */
public class DotEnvEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	// the suffix makes Boot bind it with the relaxed names of the environment
	public static final String PROPERTY_SOURCE = "dotenv-systemEnvironment";

	public static final String LOCATION_PROPERTY = "llmspell.env-file";

	@Override
	public int getOrder() {
		// before ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10): the
		// profiles and config locations it reads may come from .env
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Path file = Path.of(environment.getProperty(LOCATION_PROPERTY, ".env"));
		if (!Files.isRegularFile(file) || environment.getPropertySources().contains(PROPERTY_SOURCE)) {
			return;
		}
		Map<String, Object> values;
		try {
			values = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + file.toAbsolutePath() + ": " + ex.getMessage(), ex);
		}
		MutablePropertySources sources = environment.getPropertySources();
		// SystemEnvironmentPropertySource: the relaxed names (LLMSPELL_LIMITS_RUN_TIMEOUT
		// for llmspell.limits.run-timeout) that binding accepts from the environment
		SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(PROPERTY_SOURCE, values);
		if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
		}
		else {
			sources.addLast(source);
		}
	}

	/** The entries of a {@code .env} file's lines, in order; a later duplicate wins. */
	public static Map<String, Object> parse(List<String> lines) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (String raw : lines) {
			String line = raw.strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			if (line.startsWith("export ") || line.startsWith("export\t")) {
				line = line.substring("export".length()).strip();
			}
			int equals = line.indexOf('=');
			if (equals <= 0) {
				continue;
			}
			String key = line.substring(0, equals).strip();
			if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
				continue;
			}
			values.put(key, value(line.substring(equals + 1).strip()));
		}
		return values;
	}

	private static String value(String text) {
		if (text.length() >= 2) {
			char quote = text.charAt(0);
			if (quote == '"' || quote == '\'') {
				int end = text.indexOf(quote, 1);
				if (end > 0) {
					String inner = text.substring(1, end);
					return (quote == '"') ? inner.replace("\\n", "\n") : inner;
				}
			}
		}
		int comment = text.indexOf(" #");
		return ((comment >= 0) ? text.substring(0, comment) : text).strip();
	}

}
