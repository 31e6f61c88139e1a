package io.llmspell.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An LLM exchange whose caller has gone (a run cancelled while its answer arrives) can
 * still fail inside the framework ("The client response body has been released already
 * due to cancellation"). Reactor logs such a dropped error as ERROR with a stack trace
 * unless the sequence has a hook of its own: the client's exchanges have one.
 */
class LlmHttpClientTests {

	private static final String DROPPED = "dropped by the test's exchange";

	private final List<Throwable> global = new CopyOnWriteArrayList<>();

	private LlmHttpClient client;

	@BeforeEach
	void captureGlobalDrops() {
		Hooks.onErrorDropped(global::add);
	}

	@AfterEach
	void reset() {
		Hooks.resetOnErrorDropped();
		if (client != null) {
			client.close();
		}
	}

	@Test
	void aJsonExchangesDroppedErrorIsNotReactorsError() {
		client = client("application/json", "{\"ok\":true}");
		JsonNode json = client.postForJson("/chat", Map.of("q", 1)).block(Duration.ofSeconds(10));
		assertThat(json.get("ok").asBoolean()).isTrue();
		assertThat(droppedGlobally()).isEmpty();
	}

	@Test
	void aStreamedExchangesDroppedErrorIsNotReactorsError() {
		client = client("text/event-stream", "data: one\n\ndata: [DONE]\n\n");
		List<ServerSentEvent<String>> events = client.postForEvents("/chat", Map.of("q", 1))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(events).extracting(ServerSentEvent::data).containsExactly("one", "[DONE]");
		assertThat(droppedGlobally()).isEmpty();
	}

	@Test
	void withoutTheHookTheSameDropReachesReactorsGlobalOne() {
		// the control: a sequence without the client's context goes to the global hook
		Mono.deferContextual((context) -> {
			Operators.onErrorDropped(new IllegalStateException(DROPPED), Context.of(context));
			return Mono.just(1);
		}).block(Duration.ofSeconds(10));
		assertThat(droppedGlobally()).hasSize(1);
	}

	private List<Throwable> droppedGlobally() {
		return global.stream().filter((error) -> DROPPED.equals(error.getMessage())).toList();
	}

	/**
	 * A client whose every exchange drops an error first (as the framework does when the
	 * response comes after a cancellation), then answers {@code body}, without a server.
	 */
	private static LlmHttpClient client(String contentType, String body) {
		WebClient.Builder builder = WebClient.builder().filter((request, next) -> Mono.deferContextual((context) -> {
			Operators.onErrorDropped(new IllegalStateException(DROPPED), Context.of(context));
			return Mono
				.just(ClientResponse.create(HttpStatus.OK).header("Content-Type", contentType).body(body).build());
		}));
		return new LlmHttpClient("test", "http://127.0.0.1:9", (headers) -> {
		}, List.of(), builder, new LlmProperties(null, Duration.ofSeconds(10)), new SimpleMeterRegistry());
	}

}
