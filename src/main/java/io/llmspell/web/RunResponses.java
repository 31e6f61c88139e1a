package io.llmspell.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

import io.llmspell.run.RunEvent;
import io.llmspell.run.SpellRun;

/**
 * Turns a run's events into the three response forms: an SSE stream (with heartbeats
 * while the run is silent), NDJSON, or one JSON document once the run is done. A
 * streaming client that goes away cancels its run, unless the run was started detached.
 */
@Component
class RunResponses {

	static final String ACCEL_BUFFERING = "X-Accel-Buffering";

	private final HttpProperties http;

	private final JsonMapper json;

	RunResponses(HttpProperties http, JsonMapper json) {
		this.http = http;
		this.json = json;
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
		return watch(run.events(), run, true).collectList()
			.map((events) -> ResponseEntity.ok()
				.cacheControl(CacheControl.noStore())
				.contentType(MediaType.APPLICATION_JSON)
				.body(summary(run, events)));
	}

	/**
	 * The JSON document of a finished run: what {@code Accept: application/json} gets.
	 */
	static Map<String, Object> summary(SpellRun run, List<RunEvent> events) {
		return summary(run.id(), run.spell().name(), events);
	}

	/** The JSON document of a finished run, by its id and spell's name. */
	static Map<String, Object> summary(String runId, String spell, List<RunEvent> events) {
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
		summary.put("runId", runId);
		summary.put("spell", spell);
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

	/**
	 * A watcher's SSE stream ({@code GET /runs/{id}/events}): its disconnect never
	 * cancels the run, and its first event carries {@code retry:} wherever it starts, so
	 * that a resumed EventSource keeps the server's reconnection delay.
	 */
	ResponseEntity<Flux<ServerSentEvent<Object>>> watcherSse(Flux<RunEvent> events) {
		Flux<ServerSentEvent<Object>> stream = events.index()
			.map((indexed) -> toSse(indexed.getT2(), indexed.getT1() == 0));
		return streaming(MediaType.TEXT_EVENT_STREAM).body(withHeartbeats(stream, http.heartbeat()));
	}

	/**
	 * A watcher's NDJSON stream: the same lines as {@link #ndjson}, and its disconnect
	 * never cancels the run.
	 */
	ResponseEntity<Flux<Map<String, Object>>> watcherNdjson(Flux<RunEvent> events) {
		return streaming(MediaType.APPLICATION_NDJSON).body(events.map(RunResponses::ndjsonLine));
	}

	/**
	 * {@code GET /runs/{id}}: where the run is, and what it has done so far (all of it
	 * once finished).
	 */
	Mono<ResponseEntity<Map<String, Object>>> status(SpellRun run) {
		// where the run is, read before its events: a run seen finished has emitted done
		// (SpellRun.finished emits it, then sets the state), so "finished" always comes
		// with its status; a run that ends in between shows done while still "running"
		RunStatusDocument document = RunStatusDocument.of(run);
		return eventsSoFar(run).map((events) -> ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON)
			.body(document.with(events)));
	}

	/**
	 * The events emitted so far; completes at once, since the replay sink hands them over
	 * on subscribe.
	 */
	static Mono<List<RunEvent>> eventsSoFar(SpellRun run) {
		long last = run.lastEventId();
		if (last == 0) {
			return Mono.just(List.of());
		}
		return run.events().takeUntil((event) -> event.id() >= last).collectList();
	}

	private static Map<String, Object> ndjsonLine(RunEvent event) {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("id", event.id());
		line.put("event", event.event());
		line.put("data", event.data());
		return line;
	}

	/**
	 * The event with its data already written as JSON (by the application's mapper, as
	 * Spring's encoder would write it): the SSE writer sends a text's bytes after
	 * {@code data:} in one buffer, where an object would cost an encoder call and three
	 * buffers an event.
	 */
	private ServerSentEvent<Object> toSse(RunEvent event, boolean first) {
		return ServerSentEvent.builder((Object) json.writeValueAsString(event.data()))
			.id(String.valueOf(event.id()))
			.event(event.event())
			.retry(first ? http.retry() : null)
			.build();
	}

	private ServerSentEvent<Object> toSse(RunEvent event) {
		return toSse(event, event.id() == 1);
	}

	private static ResponseEntity.BodyBuilder streaming(MediaType type) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header(ACCEL_BUFFERING, "no").contentType(type);
	}

	private static <T> Flux<T> watch(Flux<T> stream, SpellRun run, boolean cancelOnDisconnect) {
		return stream.doOnCancel(() -> {
			if (cancelOnDisconnect && !run.detached()) {
				run.cancel("client disconnected");
			}
		});
	}

	/**
	 * Adds a {@code : keep-alive} comment whenever the stream has been silent for
	 * {@code idle}: a timer that each event restarts, so a beat comes {@code idle} after
	 * the last event and every {@code idle} after that while nothing else is sent.
	 */
	static Flux<ServerSentEvent<Object>> withHeartbeats(Flux<ServerSentEvent<Object>> events, Duration idle) {
		return Flux.defer(() -> {
			Heartbeat heartbeat = new Heartbeat(idle, Schedulers.parallel());
			return Flux.merge(events.doOnNext((event) -> heartbeat.sent()).doFinally((signal) -> heartbeat.stop()),
					heartbeat.beats());
		});
	}

	/**
	 * One timer a stream, set again only when it fires (not at every event, which cost a
	 * timer task an event): it beats when the stream has been silent for {@code idle},
	 * else waits for the rest of it.
	 */
	private static final class Heartbeat {

		// ServerSentEvent writes ':' + the comment: the space makes it ": keep-alive"
		private static final ServerSentEvent<Object> BEAT = ServerSentEvent.builder().comment(" keep-alive").build();

		private final long idleNanos;

		private final Scheduler scheduler;

		private volatile long lastSent;

		private volatile FluxSink<ServerSentEvent<Object>> sink;

		private volatile Disposable timer;

		private volatile boolean stopped;

		Heartbeat(Duration idle, Scheduler scheduler) {
			this.idleNanos = idle.toNanos();
			this.scheduler = scheduler;
			this.lastSent = scheduler.now(TimeUnit.NANOSECONDS);
		}

		void sent() {
			lastSent = scheduler.now(TimeUnit.NANOSECONDS);
		}

		Flux<ServerSentEvent<Object>> beats() {
			return Flux.create((sink) -> {
				this.sink = sink;
				sink.onDispose(this::cancelTimer);
				if (stopped) {
					sink.complete();
					return;
				}
				schedule(idleNanos);
			});
		}

		void stop() {
			stopped = true;
			cancelTimer();
			FluxSink<ServerSentEvent<Object>> current = sink;
			if (current != null) {
				current.complete();
			}
		}

		private void schedule(long delayNanos) {
			// a stop between this check and the assignment leaves one task, which finds
			// the
			// stream stopped and does nothing: cheaper than a lock on every beat
			if (!stopped) {
				timer = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
			}
		}

		private void check() {
			FluxSink<ServerSentEvent<Object>> current = sink;
			if (stopped || current == null) {
				return;
			}
			long silent = scheduler.now(TimeUnit.NANOSECONDS) - lastSent;
			if (silent >= idleNanos) {
				sent();
				current.next(BEAT);
				schedule(idleNanos);
			}
			else {
				schedule(idleNanos - silent);
			}
		}

		private void cancelTimer() {
			Disposable current = timer;
			if (current != null) {
				current.dispose();
			}
		}

	}

}
