package io.llmspell.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

import io.llmspell.run.RunEvent;
import io.llmspell.run.SpellRun;

/**
 * Turns a run's events into the three response forms: an SSE stream (with heartbeats while the
 * run is silent), NDJSON, or one JSON document once the run is done. A streaming client that
 * goes away cancels its run, unless the run was started detached.
 */
@Component
class RunResponses {

	static final String ACCEL_BUFFERING = "X-Accel-Buffering";

	private final HttpProperties http;

	RunResponses(HttpProperties http) {
		this.http = http;
	}

	ResponseEntity<Flux<ServerSentEvent<Object>>> sse(SpellRun run, Flux<RunEvent> events, boolean cancelOnDisconnect) {
		Flux<ServerSentEvent<Object>> stream = withHeartbeats(events.map(this::toSse), http.heartbeat());
		return streaming(MediaType.TEXT_EVENT_STREAM).body(watch(stream, run, cancelOnDisconnect));
	}

	ResponseEntity<Flux<Map<String, Object>>> ndjson(SpellRun run, Flux<RunEvent> events) {
		Flux<Map<String, Object>> lines = events.map((event) -> {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put("id", event.id());
			line.put("event", event.event());
			line.put("data", event.data());
			return line;
		});
		return streaming(MediaType.APPLICATION_NDJSON).body(watch(lines, run, true));
	}

	Mono<ResponseEntity<Map<String, Object>>> json(SpellRun run) {
		return watch(run.events(), run, true).collectList().map((events) -> ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON)
			.body(summary(run, events)));
	}

	/** The JSON document of a finished run: what {@code Accept: application/json} gets. */
	static Map<String, Object> summary(SpellRun run, List<RunEvent> events) {
		List<String> output = new ArrayList<>();
		List<Object> callbacks = new ArrayList<>();
		List<Object> logs = new ArrayList<>();
		Object error = null;
		Map<String, Object> done = Map.of();
		for (RunEvent event : events) {
			switch (event.event()) {
				case "output" -> output.add((String) event.data().get("text"));
				case "callback" -> callbacks.add(event.data());
				case "log" -> logs.add(event.data());
				case "error" -> error = event.data();
				case "done" -> done = event.data();
				default -> {
				}
			}
		}
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("runId", run.id());
		summary.put("spell", run.spell().name());
		summary.put("status", done.get("status"));
		summary.put("output", output);
		summary.put("callbacks", callbacks);
		summary.put("logs", logs);
		summary.put("result", done.get("result"));
		summary.put("error", error);
		summary.put("durationMs", done.get("durationMs"));
		summary.put("usage", done.get("usage"));
		return summary;
	}

	private ServerSentEvent<Object> toSse(RunEvent event) {
		return ServerSentEvent.builder((Object) event.data())
			.id(String.valueOf(event.id()))
			.event(event.event())
			.retry(event.id() == 1 ? http.retry() : null)
			.build();
	}

	private static ResponseEntity.BodyBuilder streaming(MediaType type) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.header(ACCEL_BUFFERING, "no")
			.contentType(type);
	}

	private static <T> Flux<T> watch(Flux<T> stream, SpellRun run, boolean cancelOnDisconnect) {
		return stream.doOnCancel(() -> {
			if (cancelOnDisconnect && !run.detached()) {
				run.cancel("client disconnected");
			}
		});
	}

	/** Adds a {@code : keep-alive} comment whenever the stream has been silent for {@code idle}. */
	static Flux<ServerSentEvent<Object>> withHeartbeats(Flux<ServerSentEvent<Object>> events, Duration idle) {
		ServerSentEvent<Object> beat = ServerSentEvent.builder().comment("keep-alive").build();
		return events.publish((shared) -> Flux.merge(shared,
				shared.map((event) -> 0L)
					.startWith(0L)
					.switchMap((ignored) -> Flux.interval(idle, idle))
					.map((tick) -> beat)
					.takeUntilOther(shared.ignoreElements().then(Mono.just(0L)))));
	}

}
