package io.llmspell.web;

import io.llmspell.test.TestHttp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
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

	/**
	 * The committed description (src/test/resources/openapi.json), from which the build
	 * generates the client that OpenApiClientTests uses, is what the service serves.
	 * After an intended change:
	 * {@code ./mvnw test -Dtest=OpenApiTests -Dopenapi.write=true}.
	 */
	@Test
	void committedDescriptionIsWhatTheServiceServes() throws Exception {
		String served = client().get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		ObjectNode description = (ObjectNode) json.readTree(served);
		description.remove("servers"); // the test server's random port
		Path committed = Path.of("src/test/resources/openapi.json");
		String expected = json.writeValueAsString(description) + "\n";
		if (Boolean.getBoolean("openapi.write")) {
			Files.writeString(committed, expected);
		}
		assertThat(Files.readString(committed)).isEqualTo(expected);
	}

	@Test
	void everyProblemStatusIsDescribed() {
		client().get()
			.uri("/v3/api-docs")
			.exchange()
			.expectBody()
			.jsonPath("$.paths['/spells/{name}/run'].post.responses['406'].content['application/problem+json']")
			.exists()
			.jsonPath("$.paths['/spells/{name}/run'].post.responses['413']")
			.exists()
			.jsonPath("$.paths['/spells/{name}/run'].post.responses['414']")
			.exists()
			.jsonPath("$.paths['/spells/{name}/run'].post.responses['415']")
			.exists()
			.jsonPath("$.paths['/spells/{name}/run'].post.responses['422']")
			.exists()
			.jsonPath("$.paths['/runs/{id}/events'].get.responses['400']")
			.exists()
			.jsonPath("$.components.schemas.Problem.properties.detail")
			.exists()
			.jsonPath("$.components.schemas.RunEvent.properties.event")
			.exists()
			.jsonPath("$.components.schemas.DoneEvent.properties.usage")
			.exists();
	}

	/** Swagger UI's "Try it out" sends the request body's example as it stands. */
	@Test
	void theRequestBodyExampleRuns() {
		client().post()
			.uri("/spells/callbacks/run")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue("{\"params\": {}, \"options\": {}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ok");
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
