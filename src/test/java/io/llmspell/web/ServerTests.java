package io.llmspell.web;

import io.llmspell.test.TestHttp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.llmspell.llm.mock.MockProperties;
import io.llmspell.llm.mock.MockProvider;

/**
 * Base of the tests that run the whole service on a random port, with real HTTP and SSE,
 * the project's spells plus test spells, and the mock provider at 200 ms.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "llmspell.llm.mock.latency=200ms", "llmspell.llm.provider=mock",
				"llmspell.spells.refresh-interval=0", "llmspell.http.heartbeat=300ms" })
@AutoConfigureWebTestClient(timeout = "30s")
@Import(ServerTests.Providers.class)
public abstract class ServerTests {

	protected static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE = new ParameterizedTypeReference<>() {
	};

	@Autowired
	protected WebTestClient client;

	@Autowired
	protected RecordingProvider recording;

	@DynamicPropertySource
	static void spells(DynamicPropertyRegistry registry) {
		registry.add("llmspell.spells.dir", () -> TestSpells.dir().toString());
	}

	@BeforeEach
	void clearRecording() {
		recording.clear();
	}

	/** Runs a spell over SSE and returns every event, to {@code done}. */
	protected List<ServerSentEvent<Map<String, Object>>> runSse(String uri) {
		return events(client.post().uri(uri).accept(MediaType.TEXT_EVENT_STREAM).exchange());
	}

	/**
	 * Runs a spell over SSE with {@code options.provider} set, and returns every event,
	 * to {@code done}.
	 */
	protected List<ServerSentEvent<Map<String, Object>>> runSse(String uri, String provider) {
		return events(client.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("options", Map.of("provider", provider)))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange());
	}

	private static List<ServerSentEvent<Map<String, Object>>> events(WebTestClient.ResponseSpec response) {
		return response.expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody()
			.filter((event) -> event.event() != null) // heartbeats are comments
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	protected static List<String> names(List<ServerSentEvent<Map<String, Object>>> events) {
		return events.stream().map(ServerSentEvent::event).toList();
	}

	protected static Map<String, Object> data(List<ServerSentEvent<Map<String, Object>>> events, String name) {
		return events.stream().filter((event) -> name.equals(event.event())).findFirst().orElseThrow().data();
	}

	@TestConfiguration
	static class Providers {

		@Bean
		WebTestClientBuilderCustomizer newConnectionPerRequest() {
			return (builder) -> builder.clientConnector(TestHttp.connector());
		}

		@Bean
		RecordingProvider recordingProvider(MockProperties properties) {
			return new RecordingProvider(new MockProvider(properties));
		}

	}

}
