package io.llmspell.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/** With API keys configured, only a right bearer token gets in; health stays open. */
@TestPropertySource(properties = "llmspell.auth.api-keys=key-one,key-two")
class ApiKeyAuthTests extends ServerTests {

	@LocalServerPort
	int port;

	@Test
	void aMissingTokenIs401() {
		client.post()
			.uri("/spells/hello/run")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401)
			.jsonPath("$.detail")
			.value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail)
				.contains("missing credentials"));
		client.get().uri("/spells").exchange().expectStatus().isUnauthorized();
		client.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void the401IsACleanProblemAtThePath() {
		client.get()
			.uri("/spells?x=1")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value((body) -> org.assertj.core.api.Assertions.assertThat(body)
				.doesNotContain("null")
				.doesNotContain("properties")
				.contains("\"instance\":\"/spells\"")
				.contains("\"title\":\"Unauthorized\""));
	}

	@Test
	void anEncodedSlashUnderAnOpenPathIs400NotA500() throws Exception {
		// sent as is: WebTestClient would encode the %
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/a%2fb")).build(),
					HttpResponse.BodyHandlers.ofString());
		org.assertj.core.api.Assertions.assertThat(response.statusCode()).isEqualTo(400);
		org.assertj.core.api.Assertions.assertThat(response.body()).contains("encoded slash");
	}

	@Test
	void aWrongTokenIs401() {
		client.get()
			.uri("/spells")
			.header("Authorization", "Bearer key-three")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody(String.class)
			.value((body) -> org.assertj.core.api.Assertions.assertThat(body)
				.contains("not valid")
				.doesNotContain("key-one")
				.doesNotContain("key-three"));
		client.get()
			.uri("/spells")
			.header("Authorization", "Basic a2V5LW9uZQ==")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void theRightTokenGetsIn() {
		client.get().uri("/spells").header("Authorization", "Bearer key-two").exchange().expectStatus().isOk();
		client.post()
			.uri("/spells/hello/run?name=Key")
			.header("Authorization", "bearer key-one")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ok");
	}

	@Test
	void healthStaysOpen() {
		client.get().uri("/actuator/health").exchange().expectStatus().isOk();
		client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
	}

}
