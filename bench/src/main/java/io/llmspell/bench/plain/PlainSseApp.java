package io.llmspell.bench.plain;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The framework's ceiling for scenario 2: a plain Spring WebFlux endpoint at the
 * service's path that answers with the same SSE events the service sends for the
 * {@code trivial} spell ({@code start}, {@code output}, {@code done}: same ids, names and
 * JSON shapes), without Lua, run admission or any of the service's machinery. Started as
 * its own process, on the same JVM and heap settings as the service.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PlainSseApp {

	public static void main(String[] args) {
		SpringApplication app = new SpringApplication(PlainSseApp.class, Endpoint.class);
		app.setDefaultProperties(Map.of("spring.main.banner-mode", "off", "server.address", "127.0.0.1"));
		app.run(args);
	}

	@RestController
	static class Endpoint {

		/**
		 * A virtual thread per task on Java 21+, as the service's runs; a cached pool on
		 * 17.
		 */
		private static final ExecutorService THREADS = threads();

		private static ExecutorService threads() {
			try {
				Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
				ThreadFactory factory = (ThreadFactory) Class.forName("java.lang.Thread$Builder")
					.getMethod("factory")
					.invoke(builder);
				return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
					.invoke(null, factory);
			}
			catch (ReflectiveOperationException ex) {
				return Executors.newCachedThreadPool();
			}
		}

		@GetMapping("/health")
		String health() {
			return "UP";
		}

		@PostMapping(path = "/spells/{name}/run")
		ResponseEntity<Flux<ServerSentEvent<Object>>> run(@PathVariable String name) {
			long started = System.nanoTime();
			Map<String, Object> start = new LinkedHashMap<>();
			start.put("runId", UUID.randomUUID().toString());
			start.put("spell", name);
			start.put("version", "1.0.0");
			start.put("params", Map.of());
			start.put("provider", "openai");
			start.put("model", "bench-fake");
			Flux<ServerSentEvent<Object>> events = Flux.defer(() -> {
				Map<String, Object> done = new LinkedHashMap<>();
				done.put("status", "ok");
				done.put("durationMs", (System.nanoTime() - started) / 1_000_000);
				done.put("result", null);
				Map<String, Object> usage = new LinkedHashMap<>();
				usage.put("calls", 0);
				usage.put("promptTokens", 0);
				usage.put("completionTokens", 0);
				done.put("usage", usage);
				return Flux.just(event(1, "start", start), event(2, "output", Map.of("text", "hello")),
						event(3, "done", done));
			});
			return ResponseEntity.ok()
				.cacheControl(CacheControl.noStore())
				.header("X-Accel-Buffering", "no")
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.body(events);
		}

		/**
		 * The same events, sent the way the service sends them, still without Lua: from a
		 * replay sink filled on another thread (a virtual thread per request on Java 21+,
		 * as the service's runs), through the service's heartbeat wrapper. The difference
		 * to {@link #run} is the cost of that streaming pattern; the difference to the
		 * service is the rest (Lua, admission...).
		 */
		@PostMapping(path = "/pattern/spells/{name}/run")
		ResponseEntity<Flux<ServerSentEvent<Object>>> pattern(@PathVariable String name) {
			long started = System.nanoTime();
			Sinks.Many<ServerSentEvent<Object>> sink = Sinks.many().replay().all();
			Map<String, Object> start = new LinkedHashMap<>();
			start.put("runId", UUID.randomUUID().toString());
			start.put("spell", name);
			start.put("version", "1.0.0");
			start.put("params", Map.of());
			start.put("provider", "openai");
			start.put("model", "bench-fake");
			sink.tryEmitNext(event(1, "start", start));
			THREADS.execute(() -> {
				synchronized (sink) {
					sink.tryEmitNext(event(2, "output", Map.of("text", "hello")));
					Map<String, Object> done = new LinkedHashMap<>();
					done.put("status", "ok");
					done.put("durationMs", (System.nanoTime() - started) / 1_000_000);
					done.put("result", null);
					Map<String, Object> usage = new LinkedHashMap<>();
					usage.put("calls", 0);
					usage.put("promptTokens", 0);
					usage.put("completionTokens", 0);
					done.put("usage", usage);
					sink.tryEmitNext(event(3, "done", done));
					sink.tryEmitComplete();
				}
			});
			return ResponseEntity.ok()
				.cacheControl(CacheControl.noStore())
				.header("X-Accel-Buffering", "no")
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.body(withHeartbeats(sink.asFlux(), Duration.ofSeconds(15)));
		}

		/**
		 * The service's {@code RunResponses.withHeartbeats} in short: one timer a stream,
		 * set again when it fires, a beat when the stream was silent for {@code idle}.
		 */
		static Flux<ServerSentEvent<Object>> withHeartbeats(Flux<ServerSentEvent<Object>> events, Duration idle) {
			ServerSentEvent<Object> beat = ServerSentEvent.builder().comment(" keep-alive").build();
			return Flux.defer(() -> {
				Scheduler timers = Schedulers.parallel();
				long idleNanos = idle.toNanos();
				AtomicLong last = new AtomicLong(timers.now(TimeUnit.NANOSECONDS));
				Sinks.Many<ServerSentEvent<Object>> beats = Sinks.many().unicast().onBackpressureBuffer();
				Disposable.Swap timer = Disposables.swap();
				Runnable[] check = new Runnable[1];
				check[0] = () -> {
					long silent = timers.now(TimeUnit.NANOSECONDS) - last.get();
					long delay = idleNanos - silent;
					if (silent >= idleNanos) {
						last.set(timers.now(TimeUnit.NANOSECONDS));
						beats.tryEmitNext(beat);
						delay = idleNanos;
					}
					timer.update(timers.schedule(check[0], delay, TimeUnit.NANOSECONDS));
				};
				timer.update(timers.schedule(check[0], idleNanos, TimeUnit.NANOSECONDS));
				return Flux.merge(
						events.doOnNext((event) -> last.set(timers.now(TimeUnit.NANOSECONDS))).doFinally((signal) -> {
							timer.dispose();
							beats.tryEmitComplete();
						}), beats.asFlux());
			});
		}

		private static ServerSentEvent<Object> event(long id, String name, Object data) {
			return ServerSentEvent.builder(data)
				.id(String.valueOf(id))
				.event(name)
				.retry((id == 1) ? Duration.ofSeconds(2) : null)
				.build();
		}

	}

}
