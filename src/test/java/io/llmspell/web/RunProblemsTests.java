package io.llmspell.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors before a run starts are RFC 9457 problems, whatever the client accepts. */
@ExtendWith(OutputCaptureExtension.class)
class RunProblemsTests extends ServerTests {

	@LocalServerPort
	int port;

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
	@ValueSource(strings = { "/spells/nope/run", "/spells/%2e%2e/run", "/spells/../x/run" })
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
			.isEqualTo("max-fun");
	}

	@ParameterizedTest(name = "{0}={1} -> option {0}")
	@CsvSource({ "timeout, abc", "timeout, -1", "max-instructions, many", "max-memory, 12 parsecs" })
	void aBadLimitNamesTheOption(String option, String value) {
		client.post()
			.uri("/spells/hello/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("options", Map.of(option, value)))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.option")
			.isEqualTo(option)
			.jsonPath("$.detail")
			.value((String detail) -> org.assertj.core.api.Assertions.assertThat(detail)
				.startsWith("option '" + option + "'")
				.contains(value));
	}

	@Test
	void aTimeoutOptionIsSecondsAsNumberOrTextOrHasAUnit() {
		for (Object timeout : List.of(1, "1", "1s", "1000ms")) {
			Map<String, Object> answer = client.post()
				.uri("/spells/ticker/run")
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("params", Map.of("count", 100), "options", Map.of("timeout", timeout)))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
				})
				.returnResult()
				.getResponseBody();
			assertThat(((Map<?, ?>) answer.get("error")).get("message")).as("timeout %s", timeout)
				.isEqualTo("run timed out after 1000 ms");
		}
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', value = { "Accept|garbage|Accept", "Content-Type|garbage|Content-Type",
			"Content-Type|application/json; charset=\"|Content-Type" })
	void aHeaderThatIsNoMediaTypeIs400(String header, String value, String named, CapturedOutput output)
			throws Exception {
		for (String method : List.of("POST", "GET")) {
			HttpResponse<String> response = raw(method, method.equals("POST") ? "/spells/hello/run" : "/spells", header,
					value);
			assertThat(response.statusCode()).as(method).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
			assertThat(response.body()).contains("\"title\":\"Bad Request\"")
				.contains("\"instance\":\"/spells")
				.contains("the " + named + " header");
		}
		assertThat(output.toString()).doesNotContain("InvalidMediaTypeException").doesNotContain(" ERROR ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/spells/..%2fhello/run", "/spells/%2e%2e%2fspells%2fhello/run", "/actuator/health/a%2fb",
			"/actuator/health/a%5Cb" })
	void anEncodedSlashInThePathIs400(String uri, CapturedOutput output) throws Exception {
		for (String method : List.of("POST", "GET")) {
			HttpResponse<String> response = raw(method, uri);
			assertThat(response.statusCode()).as(method).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
			assertThat(response.body()).contains("encoded slash");
		}
		assertThat(output.toString()).doesNotContain(" ERROR ");
	}

	@Test
	void aRequestLineOverTheLimitIs414AsAProblem(CapturedOutput output) throws Exception {
		// 4KB is server.netty.max-initial-line-length's default
		String under = rawExchange("GET /spells?x=" + "a".repeat(3000) + " HTTP/1.1");
		assertThat(under).startsWith("HTTP/1.1 200 ").contains("\"name\":\"hello\"");
		for (String method : List.of("GET", "POST")) {
			String answer = rawExchange(method + " /spells/hello/run?name=" + "a".repeat(5000) + " HTTP/1.1");
			String[] parts = answer.split("\r\n\r\n", 2);
			assertThat(parts[0]).as(method)
				.startsWith("HTTP/1.1 414 Request-URI Too Long")
				.containsIgnoringCase("content-type: application/problem+json")
				.containsIgnoringCase("connection: close");
			Map<String, Object> problem = new tools.jackson.databind.json.JsonMapper().readValue(parts[1],
					new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
					});
			assertThat(problem).containsEntry("status", 414).containsEntry("title", "URI Too Long");
			assertThat((String) problem.get("detail")).contains("longer than 4096 bytes",
					"server.netty.max-initial-line-length");
		}
		assertThat(output.toString()).doesNotContain(" ERROR ");
	}

	@Test
	void aRequestTargetThatIsNoUriIs400AsAProblem(CapturedOutput output) throws Exception {
		// characters that a URI must percent-encode, as curl -g or a hand-written client
		// sends them
		for (String target : List.of("/spells/hello/run?tags=[\"a\"]", "/spells/hello/run?q={x}", "/spells?x=a|b",
				"/spells/hel^lo/run")) {
			String answer = rawExchange("POST " + target + " HTTP/1.1");
			String[] parts = answer.split("\r\n\r\n", 2);
			assertThat(parts[0]).as(target)
				.startsWith("HTTP/1.1 400 Bad Request")
				.containsIgnoringCase("content-type: application/problem+json");
			Map<String, Object> problem = new tools.jackson.databind.json.JsonMapper().readValue(parts[1],
					new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
					});
			assertThat(problem).as(target).containsEntry("status", 400).containsEntry("title", "Invalid URI");
			assertThat((String) problem.get("detail")).as(target).contains("percent-encode");
		}
		// what is valid goes on as before
		assertThat(rawExchange("GET /spells?x=%5B%22a%22%5D HTTP/1.1")).startsWith("HTTP/1.1 200 ");
		assertThat(output.toString()).doesNotContain(" ERROR ");
	}

	/**
	 * A request line and a Host header written to a socket, and everything the server
	 * sends until it closes the connection.
	 */
	private String rawExchange(String requestLine) throws Exception {
		try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write((requestLine + "\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
					.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

	/** A request as sent, with no client-side encoding or header checks. */
	private HttpResponse<String> raw(String method, String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
					: HttpRequest.BodyPublishers.noBody());
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void everyProblemsInstanceIsTheRequestPath() {
		for (String uri : List.of("/spells/nope", "/runs/nope", "/runs/nope/events", "/nope")) {
			client.get()
				.uri(uri)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.instance")
				.isEqualTo(uri);
		}
		client.post()
			.uri("/spells/nope/run?x=1")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.instance")
			.isEqualTo("/spells/nope/run");
	}

}
