package io.llmspell.web;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /spells/{name}/run} over real HTTP: events, their order and ids, and the
 * three response forms.
 */
class RunEndpointTests extends ServerTests {

	@Test
	void helloStreamsStartOutputAndDone() {
		var events = runSse("/spells/hello/run?name=Ada");
		assertThat(names(events)).containsExactly("start", "log", "output", "done");
		assertThat(events).extracting(ServerSentEvent::id).containsExactly("1", "2", "3", "4");
		Map<String, Object> start = data(events, "start");
		assertThat(start).containsEntry("spell", "hello")
			.containsEntry("version", "1.0.0")
			.containsEntry("params", Map.of("name", "Ada"))
			.containsEntry("provider", "mock")
			.containsEntry("model", "mock-echo-1")
			.containsKey("runId");
		assertThat(data(events, "output")).containsEntry("text", "Hello, Ada!");
		assertThat(data(events, "done")).containsEntry("status", "ok")
			.containsEntry("result", Map.of("greeting", "Hello, Ada!", "length", 3))
			.containsKeys("durationMs", "usage");
	}

	@Test
	void everyEventTypeInOrderThenAnErrorNamingItsLineThenDone() {
		var events = runSse("/spells/all-events/run");
		assertThat(names(events)).containsExactly("start", "log", "output", "chunk", "chunk", "chunk", "chunk",
				"callback", "output", "error", "done");
		assertThat(data(events, "log")).containsEntry("level", "warn")
			.containsEntry("message", "starting")
			.containsEntry("fields", Map.of("step", 1));
		assertThat(data(events, "chunk")).containsKeys("callId", "text");
		assertThat(data(events, "callback")).containsEntry("ok", true).containsEntry("kind", "chat");
		Map<String, Object> error = data(events, "error");
		assertThat(error).containsEntry("kind", "lua").containsEntry("line", 7);
		assertThat((String) error.get("message")).isEqualTo("main.lua:7: boom on line seven");
		Map<String, Object> done = data(events, "done");
		assertThat(done).containsEntry("status", "error");
		assertThat(done.get("usage")).isEqualTo(Map.of("calls", 2, "promptTokens", 4, "completionTokens", 12));
	}

	@Test
	void aRuntimeErrorEndsWithErrorThenDone() {
		var events = runSse("/spells/fails/run");
		assertThat(names(events)).containsExactly("start", "output", "error", "done");
		assertThat(data(events, "error")).containsEntry("line", 3);
		assertThat((String) data(events, "error").get("message")).startsWith("main.lua:3:");
		assertThat(data(events, "done")).containsEntry("status", "error");
	}

	@Test
	void responsesAreNotCachedNorBuffered() {
		client.post()
			.uri("/spells/hello/run")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.expectHeader()
			.valueEquals("Cache-Control", "no-store")
			.expectHeader()
			.valueEquals("X-Accel-Buffering", "no")
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("event:start").contains("id:1").contains("event:done"));
	}

	@Test
	void heartbeatsKeepASilentStreamAlive() {
		client.post()
			.uri("/spells/ticker/run?count=2&interval=0.8")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains(": keep-alive\n").contains("event:done"));
	}

	@Test
	void jsonWaitsForTheEndAndReturnsOneDocument() {
		client.post()
			.uri("/spells/async-callbacks/run?mode=parallel&calls=3")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ok")
			.jsonPath("$.runId")
			.isNotEmpty()
			.jsonPath("$.output[0]")
			.isEqualTo("started 3 calls; 3 pending")
			.jsonPath("$.callbacks.length()")
			.isEqualTo(3)
			.jsonPath("$.result.calls")
			.isEqualTo(3)
			.jsonPath("$.usage.calls")
			.isEqualTo(3)
			.jsonPath("$.error")
			.isEmpty()
			.jsonPath("$.durationMs")
			.isNumber();
	}

	@Test
	void ndjsonSendsTheSameEventsOneALine() {
		String body = client.post()
			.uri("/spells/hello/run?name=Nd")
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> lines = body.lines().toList();
		assertThat(lines).hasSize(4);
		assertThat(lines.get(0)).startsWith("{\"id\":1,\"event\":\"start\",\"data\":{");
		assertThat(lines.get(2)).isEqualTo("{\"id\":3,\"event\":\"output\",\"data\":{\"text\":\"Hello, Nd!\"}}");
		assertThat(lines.get(3)).contains("\"event\":\"done\"").contains("\"status\":\"ok\"");
	}

	@Test
	void paramsComeFromTheBodyAndTheQueryTyped() {
		var events = client.post()
			.uri("/spells/typed-params/run?count=3&shout=true")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("params", Map.of("ratio", 0.25, "tags", List.of("a", "b"), "meta", Map.of("k", "v"))))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody()
			.collectList()
			.block();
		assertThat(data(events, "start").get("params")).isEqualTo(Map.of("count", 3, "ratio", 0.25, "shout", true,
				"mode", "fast", "tags", List.of("a", "b"), "meta", Map.of("k", "v")));
		assertThat(data(events, "done")).containsEntry("status", "ok");
	}

	@Test
	void optionsLowerTheTimeout() {
		var events = client.post()
			.uri("/spells/spin/run")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("options", Map.of("timeout", 0.3)))
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody()
			.filter((event) -> event.event() != null)
			.collectList()
			.block();
		assertThat(names(events)).containsExactly("start", "error", "done");
		assertThat(data(events, "error")).containsEntry("kind", "limit").containsEntry("limit", "timeout");
		assertThat(data(events, "done")).containsEntry("status", "timeout");
	}

	@Test
	void theSpellCatalogIsListedAndDescribed() {
		client.get()
			.uri("/spells")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.name == 'hello')].parameters[0].name")
			.isEqualTo("name")
			.jsonPath("$[?(@.name == 'async-callbacks')].parameters[0].enum.length()")
			.isEqualTo(5);
		client.get()
			.uri("/spells/hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("hello")
			.jsonPath("$.readme")
			.isNotEmpty()
			.jsonPath("$.parameters[0].default")
			.isEqualTo("world");
	}

}
