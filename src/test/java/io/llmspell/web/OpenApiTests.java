package io.llmspell.web;

import io.llmspell.test.TestHttp;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description and its interactive page are served, and so are the health
 * probes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "llmspell.spells.dir=src/test/resources/ops-spells")
class OpenApiTests {

	@LocalServerPort
	int port;

	@Test
	void apiDocsDescribeTheEndpointsAndTheRunsMediaTypes() {
		String docs = client().get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(docs).contains("\"/spells\"", "\"/spells/{name}\"", "\"/spells/{name}/run\"")
			.contains("text/event-stream", "application/x-ndjson", "application/problem+json")
			.contains("Run a spell and stream its events");
	}

	@Test
	void swaggerUiIsServed() {
		client().get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
		client().get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
	}

	@Test
	void healthProbesAreUp() {
		client().get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		client().get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	private WebTestClient client() {
		return TestHttp.webTestClient(port).responseTimeout(Duration.ofSeconds(20)).build();
	}

}
