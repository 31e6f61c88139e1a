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
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Reads {@code KEY=VALUE} lines from a {@code .env} file in the working directory (or
 * where {@code llmspell.env-file} points) into a property source of low precedence:
 * environment variables, system properties, command-line arguments and application.yaml
 * all win over it, and placeholders such as {@code ${OPENAI_API_KEY:}} see its values.
 * Blank lines and {@code #} comments are skipped, an {@code export } prefix is dropped,
 * and a value may be quoted ({@code "..."} or {@code '...'}); an unquoted value ends at
 * {@code " #"}. A missing file is no error.
 */
public class DotEnvEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	public static final String PROPERTY_SOURCE = "dotenv";

	public static final String LOCATION_PROPERTY = "llmspell.env-file";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
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
		MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE, values);
		if (sources.contains("defaultProperties")) {
			sources.addBefore("defaultProperties", source);
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
