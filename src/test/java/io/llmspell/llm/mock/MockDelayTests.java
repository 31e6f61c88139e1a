package io.llmspell.llm.mock;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.llmspell.llm.LlmException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MockDelayTests {

	private static final Duration CONFIGURED = Duration.ofMillis(300);

	@Test
	void aDelayDirectiveSetsTheLatency() {
		assertThat(MockProvider.latencyFor("hi [delay=25]", CONFIGURED)).hasMillis(25);
		assertThat(MockProvider.latencyFor("hi", CONFIGURED)).isEqualTo(CONFIGURED);
	}

	@Test
	void anOverlongDelayIsAClearLlmError() {
		for (String delay : new String[] { "99999999999999999999", "86400001" }) {
			assertThatExceptionOfType(LlmException.class)
				.isThrownBy(() -> MockProvider.latencyFor("[delay=" + delay + "]", CONFIGURED))
				.withMessageContaining("[delay=" + delay + "] is too long: at most 86400000 ms");
		}
	}

}
