package io.llmspell.llm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;

class LlmErrorsTests {

	@Test
	void providerMessagesInTheirFormats() {
		assertThat(LlmErrors.providerMessage("{\"error\":{\"message\":\"Bad model\",\"type\":\"x\"}}"))
			.isEqualTo("Bad model");
		assertThat(
				LlmErrors.providerMessage("{\"type\":\"error\",\"error\":{\"type\":\"x\",\"message\":\"Overloaded\"}}"))
			.isEqualTo("Overloaded");
		assertThat(LlmErrors.providerMessage("{\"error\":\"model 'llama9' not found\"}"))
			.isEqualTo("model 'llama9' not found");
		assertThat(LlmErrors.providerMessage("{\"message\":\"Forbidden\"}")).isEqualTo("Forbidden");
		assertThat(LlmErrors.providerMessage("Bad Gateway")).isNull();
		assertThat(LlmErrors.providerMessage("")).isNull();
	}

	@Test
	void messagesAreRedactedAndShort() {
		String key = "my-very-secret-token";
		String body = "{\"error\":{\"message\":\"Key " + key + " is wrong; also sk-proj-abcdefghijklmnop is\"}}";
		LlmException error = LlmErrors.toLlmException("openai",
				WebClientResponseException.create(401, "Unauthorized", new HttpHeaders(),
						body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
				Duration.ofSeconds(1), List.of(key));
		assertThat(error.getMessage()).isEqualTo("openai: 401 Key *** is wrong; also *** is");
		assertThat(error.status()).isEqualTo(401);

		String longMessage = "word ".repeat(100) + key;
		String sanitized = LlmErrors.sanitize(longMessage, List.of(key));
		assertThat(sanitized).hasSize(LlmErrors.MAX_MESSAGE).endsWith("...");
		// a key straddling the cut is redacted before it can be cut in half
		String straddling = "x".repeat(LlmErrors.MAX_MESSAGE - 10) + " " + key;
		assertThat(LlmErrors.sanitize(straddling, List.of(key))).doesNotContain("my-very");
	}

	@Test
	void emptyErrorBodyFallsBackToTheStatusText() {
		LlmException error = LlmErrors.toLlmException("anthropic", WebClientResponseException.create(502, "Bad Gateway",
				new HttpHeaders(), new byte[0], StandardCharsets.UTF_8), null, List.of());
		assertThat(error.getMessage()).isEqualTo("anthropic: 502 Bad Gateway");
	}

	@Test
	void aBodyThatIsNoProviderErrorIsNeverShownOnlyTheStatus() {
		LlmException error = LlmErrors.toLlmException("openai",
				WebClientResponseException.create(502, "Bad Gateway", new HttpHeaders(),
						"Error: socket hang up".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
				null, List.of());
		assertThat(error.getMessage()).isEqualTo("openai: 502 Bad Gateway");
	}

	@Test
	void credentialsInAProviderMessageAreScrubbed() {
		String message = "{\"error\":{\"message\":\"rejected Authorization: Bearer abc.def-ghi and api_key=s3cr3t,"
				+ " token: 'tok123', jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.x\"}}";
		LlmException error = LlmErrors.toLlmException("openai", WebClientResponseException.create(401, "Unauthorized",
				new HttpHeaders(), message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), null, List.of());
		assertThat(error.getMessage()).startsWith("openai: 401 rejected")
			.doesNotContain("abc.def")
			.doesNotContain("s3cr3t")
			.doesNotContain("tok123")
			.doesNotContain("eyJhbGci")
			.contains("api_key=***");
	}

	@Test
	void timeouts() {
		assertThat(LlmErrors.toLlmException("openai", new TimeoutException(), Duration.ofSeconds(60), List.of())
			.getMessage()).isEqualTo("openai: timeout: no complete answer within 60s");
	}

}
