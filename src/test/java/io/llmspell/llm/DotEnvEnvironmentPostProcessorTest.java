package io.llmspell.llm;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DotEnvEnvironmentPostProcessorTest {

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

}
