package io.llmspell.web;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** Errors before a run starts are RFC 9457 problems, whatever the client accepts. */
class RunProblemsTest extends ServerTest {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "/spells/typed-params/run?count=abc, count, expected integer",
			"/spells/typed-params/run?count=1&mode=medium, mode, must be one of",
			"/spells/typed-params/run, count, is required", "/spells/hello/run?nmae=Ada, nmae, unknown parameter",
			"/spells/typed-params/run?count=2&shout=maybe, shout, expected boolean" })
	void badParametersAre400NamingTheParameter(String uri, String parameter, String reason) {
		client.post()
			.uri(uri)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.parameter")
			.isEqualTo(parameter)
			.jsonPath("$.detail")
			.value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail)
				.contains(parameter)
				.contains(reason));
	}

	@Test
	void aWrongTypeInTheBodyIs400() {
		client.post()
			.uri("/spells/typed-params/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("params", Map.of("count", "three")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.parameter")
			.isEqualTo("count");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/spells/nope/run", "/spells/%2e%2e/run", "/spells/..%2fhello/run", "/spells/../x/run",
			"/spells/%2e%2e%2fspells%2fhello/run" })
	void unknownOrSneakySpellNamesAre404(String uri) {
		client.post()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
	}

	@Test
	void unknownSpellDetailsAre404() {
		client.get()
			.uri("/spells/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Unknown spell");
	}

	@Test
	void anOversizedBodyIs413() {
		String big = "{\"params\": {\"name\": \"" + "x".repeat(300 * 1024) + "\"}}";
		client.post()
			.uri("/spells/hello/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(big)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void anUnsupportedAcceptIs406() {
		client.post()
			.uri("/spells/hello/run")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.NOT_ACCEPTABLE)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void aBodyThatIsNotJsonIs415() {
		client.post()
			.uri("/spells/hello/run")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("name=Ada")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void malformedJsonAndUnknownFieldsAre400() {
		client.post()
			.uri("/spells/hello/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"params\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail).contains("not valid JSON"));
		client.post()
			.uri("/spells/hello/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"parms\": {}}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail).contains("parms"));
	}

	@Test
	void anUnknownProviderOrABadLimitOptionIs400() {
		client.post()
			.uri("/spells/hello/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("options", Map.of("provider", "nope")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.option")
			.isEqualTo("provider");
		client.post()
			.uri("/spells/hello/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("options", Map.of("max-fun", 3)))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.option")
			.isEqualTo("limits");
	}

}
