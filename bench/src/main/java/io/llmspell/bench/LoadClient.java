package io.llmspell.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * A non-blocking load client on Reactor Netty: posts runs, reads their SSE streams with a
 * small incremental parser, and records when each run ended and how.
 */
public final class LoadClient implements AutoCloseable {

	private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");

	private static final Pattern STAMP = Pattern.compile("(\\d+)@(\\d+)");

	private final ConnectionProvider pool;

	private final LoopResources loops;

	private final HttpClient http;

	public LoadClient(int maxConnections) {
		this.pool = ConnectionProvider.builder("bench-client")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofSeconds(120))
			.maxIdleTime(Duration.ofSeconds(20))
			.build();
		this.loops = LoopResources.create("bench-client", 2, true);
		this.http = HttpClient.create(pool)
			.runOn(loops)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream")
				.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
	}

	/** What happened to one run, as the client saw it. */
	public static final class RunResult {

		public final long startNanos;

		public long endNanos;

		public int httpStatus;

		public int events;

		public String doneStatus;

		public String error;

		/**
		 * Receive time minus the upstream's send time, per streamed chunk, in
		 * nanoseconds.
		 */
		public final List<Long> chunkLatencies = new ArrayList<>();

		RunResult(long startNanos) {
			this.startNanos = startNanos;
		}

		public double millis() {
			return (endNanos - startNanos) / 1e6;
		}

		/**
		 * Null when the run streamed to its {@code done} with status ok; else what went
		 * wrong.
		 */
		public String failure() {
			if (error != null) {
				return error;
			}
			if (httpStatus != 200) {
				return "http " + httpStatus;
			}
			if (doneStatus == null) {
				return "no done event";
			}
			return "ok".equals(doneStatus) ? null : "done " + doneStatus;
		}

	}

	/**
	 * One run: {@code POST url} with {@code body}, read to the end of its SSE stream (or
	 * {@code timeout}). Never fails: errors are recorded in the result.
	 */
	public Mono<RunResult> run(String url, String body, Duration timeout) {
		return Mono.defer(() -> {
			RunResult result = new RunResult(System.nanoTime());
			SseParser parser = new SseParser((event, data) -> onEvent(result, event, data));
			return http.post()
				.uri(url)
				.send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8,
						io.netty.buffer.ByteBufAllocator.DEFAULT))
				.response((response, content) -> {
					result.httpStatus = response.status().code();
					return content.asString(StandardCharsets.UTF_8).doOnNext(parser::feed);
				})
				.then()
				.timeout(timeout)
				.then(Mono.fromSupplier(() -> {
					result.endNanos = System.nanoTime();
					return result;
				}))
				.onErrorResume((error) -> {
					result.endNanos = System.nanoTime();
					result.error = (error instanceof TimeoutException) ? "client timeout"
							: error.getClass().getSimpleName() + ": " + error.getMessage();
					return Mono.just(result);
				});
		});
	}

	/**
	 * A closed loop: {@code clients} workers, each starting its next run as soon as the
	 * last one ended, until {@code duration} has passed; only runs that ended in the
	 * window are returned.
	 */
	public Mono<List<RunResult>> closedLoop(int clients, Duration duration, Function<Integer, Mono<RunResult>> oneRun) {
		return Mono.defer(() -> {
			long deadline = System.nanoTime() + duration.toNanos();
			return Flux.range(0, clients)
				.flatMap((worker) -> oneRun.apply(worker).repeat(() -> System.nanoTime() < deadline), clients)
				.filter((result) -> result.endNanos <= deadline)
				.collectList();
		});
	}

	private static void onEvent(RunResult result, String event, String data) {
		long now = System.nanoTime();
		result.events++;
		if ("done".equals(event)) {
			Matcher status = STATUS.matcher(data);
			result.doneStatus = status.find() ? status.group(1) : "?";
		}
		else if ("chunk".equals(event)) {
			Matcher stamp = STAMP.matcher(data);
			if (stamp.find()) {
				result.chunkLatencies.add(now - Long.parseLong(stamp.group(2)));
			}
		}
	}

	@Override
	public void close() {
		pool.disposeLater().block(Duration.ofSeconds(10));
		loops.disposeLater().block(Duration.ofSeconds(10));
	}

	/**
	 * An incremental SSE parser: feed it text as it arrives, it calls back once per
	 * event.
	 */
	static final class SseParser {

		interface Listener {

			void event(String event, String data);

		}

		private final Listener listener;

		private final StringBuilder buffer = new StringBuilder();

		SseParser(Listener listener) {
			this.listener = listener;
		}

		void feed(String text) {
			buffer.append(text.indexOf('\r') >= 0 ? text.replace("\r", "") : text);
			int end;
			while ((end = buffer.indexOf("\n\n")) >= 0) {
				String block = buffer.substring(0, end);
				buffer.delete(0, end + 2);
				dispatch(block);
			}
		}

		private void dispatch(String block) {
			String event = "message";
			StringBuilder data = null;
			for (String line : block.split("\n")) {
				if (line.isEmpty() || line.charAt(0) == ':') {
					continue;
				}
				int colon = line.indexOf(':');
				String field = (colon < 0) ? line : line.substring(0, colon);
				String value = (colon < 0) ? "" : line.substring(colon + 1);
				if (value.startsWith(" ")) {
					value = value.substring(1);
				}
				if (field.equals("event")) {
					event = value;
				}
				else if (field.equals("data")) {
					data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
				}
			}
			if (data != null) {
				listener.event(event, data.toString());
			}
		}

	}

}
