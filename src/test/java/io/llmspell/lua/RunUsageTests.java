package io.llmspell.lua;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.llmspell.llm.Usage;

import static org.assertj.core.api.Assertions.assertThat;

class RunUsageTests {

	@Test
	void tokensNoProviderReportedAreUnknownNotZero() {
		RunUsage usage = new RunUsage();
		usage.callStarted();
		usage.add(null); // a streamed answer whose upstream sent no usage
		Map<String, Object> expected = new HashMap<>();
		expected.put("calls", 1L);
		expected.put("promptTokens", null);
		expected.put("completionTokens", null);
		assertThat(usage.toMap()).isEqualTo(expected);
	}

	@Test
	void reportedTokensAreSummedAndNoCallsIsZero() {
		RunUsage usage = new RunUsage();
		assertThat(usage.toMap()).containsEntry("promptTokens", 0L).containsEntry("completionTokens", 0L);
		usage.callStarted();
		usage.add(new Usage(3, 2));
		usage.callStarted();
		usage.add(null);
		assertThat(usage.toMap()).containsEntry("calls", 2L)
			.containsEntry("promptTokens", 3L)
			.containsEntry("completionTokens", 2L);
	}

}
