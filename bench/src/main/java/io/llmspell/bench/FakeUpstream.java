package io.llmspell.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A fast, non-blocking fake of OpenAI's Chat Completions API on Reactor Netty:
 * {@code POST
 * /v1/chat/completions} answers after a fixed latency (a {@code Mono.delay}, never a
 * sleeping thread), whole or, with {@code "stream": true}, as SSE chunks ending with
 * {@code data: [DONE]}.
 * <p>
 * Each streamed chunk's text carries the {@link System#nanoTime()} at which it was
 * written ({@code <seq>@<nanos>}); the load client runs in the same JVM, so it can
 * subtract.
 * <p>
 * The settings are volatile: the harness changes them between scenarios.
 */
public final class FakeUpstream implements AutoCloseable {

	private volatile Duration latency = Duration.ofMillis(500);

	private volatile Duration firstChunkDelay = Duration.ofMillis(100);

	private volatile Duration chunkInterval = Duration.ofMillis(25);

	private volatile int chunks = 20;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger peakInFlight = new AtomicInteger();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicInteger connections = new AtomicInteger();

	private final DisposableServer server;

	public FakeUpstream(int port) {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.option(ChannelOption.SO_BACKLOG, 8192)
			.doOnConnection((connection) -> {
				connections.incrementAndGet();
				connection.onDispose(connections::decrementAndGet);
			})
			.route((routes) -> routes.post("/v1/chat/completions", this::chat).get("/v1/models", this::models))
			.bindNow(Duration.ofSeconds(10));
	}

	public int port() {
		return server.port();
	}

	public FakeUpstream latency(Duration latency) {
		this.latency = latency;
		return this;
	}

	public Duration latency() {
		return latency;
	}

	public FakeUpstream streaming(Duration firstChunkDelay, Duration chunkInterval, int chunks) {
		this.firstChunkDelay = firstChunkDelay;
		this.chunkInterval = chunkInterval;
		this.chunks = chunks;
		return this;
	}

	/** Requests received but not answered (a closed connection ends its request). */
	public int inFlight() {
		return inFlight.get();
	}

	/** The most requests in flight at once since the last {@link #resetCounters()}. */
	public int peakInFlight() {
		return peakInFlight.get();
	}

	public long requests() {
		return requests.get();
	}

	public int openConnections() {
		return connections.get();
	}

	public void resetCounters() {
		requests.set(0);
		peakInFlight.set(inFlight.get());
	}

	private Publisher<Void> chat(HttpServerRequest request, HttpServerResponse response) {
		requests.incrementAndGet();
		peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
		AtomicBoolean ended = new AtomicBoolean();
		Runnable end = () -> {
			if (ended.compareAndSet(false, true)) {
				inFlight.decrementAndGet();
			}
		};
		request.withConnection((connection) -> connection.onDispose(end::run));
		return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			String model = modelOf(body);
			if (body.replace(" ", "").contains("\"stream\":true")) {
				return stream(response, model);
			}
			return Mono.delay(latency)
				.then(response.status(HttpResponseStatus.OK)
					.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
					.sendString(Mono.just(completion(model)))
					.then());
		}).doFinally((signal) -> end.run());
	}

	private Mono<Void> stream(HttpServerResponse response, String model) {
		int count = chunks;
		Flux<String> events = Flux.interval(firstChunkDelay, chunkInterval)
			.take(count)
			.map((seq) -> "data: " + chunk(model, seq + "@" + System.nanoTime() + " ") + "\n\n")
			.concatWith(Flux.just("data: " + usageChunk(model, count) + "\n\n", "data: [DONE]\n\n"));
		return response.status(HttpResponseStatus.OK)
			.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
			.header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
			.sendString(events)
			.then();
	}

	private Publisher<Void> models(HttpServerRequest request, HttpServerResponse response) {
		return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.sendString(Mono.just("{\"object\":\"list\",\"data\":[{\"id\":\"bench-fake\",\"object\":\"model\"}]}"));
	}

	private static String modelOf(String body) {
		int key = body.indexOf("\"model\"");
		if (key < 0) {
			return "bench-fake";
		}
		int open = body.indexOf('"', body.indexOf(':', key) + 1);
		int close = body.indexOf('"', open + 1);
		return (open > 0 && close > open) ? body.substring(open + 1, close) : "bench-fake";
	}

	private static String completion(String model) {
		return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":"
				+ (System.currentTimeMillis() / 1000) + ",\"model\":\"" + model
				+ "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
				+ "\"content\":\"A short fact from the fake upstream.\"},\"finish_reason\":\"stop\"}],"
				+ "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}";
	}

	private static String chunk(String model, String text) {
		return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
				+ "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}";
	}

	private static String usageChunk(String model, int count) {
		return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
				+ "\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + count
				+ ",\"total_tokens\":" + (12 + count) + "}}";
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}

}
