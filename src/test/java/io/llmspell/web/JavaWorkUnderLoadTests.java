package io.llmspell.web;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.ConcurrencyLimiter;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.mock.MockProvider;
import io.llmspell.lua.CoroutineThreads;
import io.llmspell.run.RunRegistry;
import io.llmspell.run.SpellRun;
import io.llmspell.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance test of bounded Java work (issue 11): every hostile case that makes the
 * runtime work in Java on a run's behalf, at once, on one server with a 1 GB heap (the
 * {@code heap-1g} surefire execution) at the default limits, while benign runs go on
 * beside them. Each hostile run ends with its own limit (by name) within its time limit
 * plus a second, a DELETE stops a run busy in Java within a second, a run that floods the
 * provider does not delay another run's single call past its share, coroutine threads
 * stay under their bound, every benign run completes with the right output, nothing runs
 * out of memory, and heap and threads return to their baseline.
 * <p>
 * The only setting changed from the defaults is {@code max-coroutine-threads}, lowered to
 * 200 so that one run (256 coroutines by default) can pass it here.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "llmspell.limits.max-coroutine-threads=" + JavaWorkUnderLoadTests.COROUTINE_THREADS)
@Import(JavaWorkUnderLoadTests.SharedProviderConfiguration.class)
class JavaWorkUnderLoadTests extends ServerTests {

	static final int COROUTINE_THREADS = 200;

	/**
	 * A hostile case: the options it runs with and the one way it must end. Time cases
	 * get a short timeout; the others a long one, so that on a busy machine their own
	 * limit, not the clock, is what stops them.
	 */
	record Hostile(String name, Map<String, Object> options, String limit) {

		Hostile(String name, long timeoutSeconds, String limit) {
			this(name, Map.of("timeout", timeoutSeconds), limit);
		}

		long timeoutMs() {
			return ((Number) options.get("timeout")).longValue() * 1000;
		}

	}

	private static final List<Hostile> HOSTILE = List.of(
			new Hostile("shared_encode", Map.of("timeout", 20, "max-string-size", "1MB"), "max-string-size"),
			new Hostile("shared_log", 20, "max-output-bytes"), new Hostile("shared_result", 20, "max-output-bytes"),
			new Hostile("big_log", 20, "max-output-bytes"),
			new Hostile("big_log_event", Map.of("timeout", 20, "max-event-bytes", "256KB"), "max-event-bytes"),
			new Hostile("tostring_loop", Map.of("timeout", 20, "max-instructions", 5_000_000), "max-instructions"),
			// the two holders: 256 MB each at the defaults, stopped by their own limit
			// or,
			// should the heap fill first, by the heap guard (also as max-memory)
			new Hostile("rep_strings", 30, "max-memory"), new Hostile("decode_keep", 30, "max-memory"),
			new Hostile("os_date", 20, "max-string-size"),
			// garbage only: far more than max-memory allocated, little held
			new Hostile("decode_loop", 5, "timeout"), new Hostile("sort", 2, "timeout"),
			new Hostile("load_forever", 5, "timeout"), new Hostile("flood", 20, "timeout"));

	/** Benign runs of the java-work spell and the result each must return. */
	private static final Map<String, Object> BENIGN = Map.of("numeric_loop", 17_000_000, "json_round_trip",
			List.of("x", 3), "load_z", "[string \"return 'alo \\z\"]:1: unfinished string near <eof>");

	private static final int THREAD_RUNS = 3, THREADS_EACH = 50, THREADS_OVER = 250;

	/** Cases a DELETE stops while they are busy (in Java, in the compiler). */
	private static final List<String> DELETED = List.of("decode_loop", "sort_forever", "load_forever");

	@LocalServerPort
	int port;

	@Autowired
	RunRegistry registry;

	@Autowired
	SharedProvider shared;

	private final Hiccups hiccups = new Hiccups();

	private final Map<String, Long> figures = Collections.synchronizedMap(new LinkedHashMap<>());

	record Ended(String name, List<ServerSentEvent<Map<String, Object>>> events) {

		Map<String, Object> last(String event) {
			return events.stream()
				.filter((e) -> event.equals(e.event()))
				.reduce((a, b) -> b)
				.map(ServerSentEvent::data)
				.orElseThrow(() -> new AssertionError(name + " sent no " + event + ": " + events));
		}

		List<Object> outputs() {
			return events.stream().filter((e) -> "output".equals(e.event())).map((e) -> e.data().get("text")).toList();
		}

	}

	@Test
	void hostileJavaWorkEndsAtItsLimitsWhileBenignRunsGoOn(CapturedOutput output) throws Exception {
		assertThat(Runtime.getRuntime().maxMemory()).as("run by the heap-1g execution").isLessThan(1100L << 20);
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		WebClient web = TestHttp.webClient(port);
		// the test's own blocking waits, on threads it ends when done
		Scheduler waits = Schedulers.newBoundedElastic(32, 1000, "load-test-waits", 5);
		// warm the pools a run touches (HTTP client and server, run threads, the
		// scheduler this test uses) so that the baseline is what an idle server has
		Flux.range(1, 4)
			.flatMap((i) -> sse(web, "/spells/hello/run?name=W" + i, null))
			.subscribeOn(waits)
			.blockLast(Duration.ofSeconds(30));
		long baselineHeap = usedAfterGc(memory);
		int baselineThreads = threads.getThreadCount();
		System.out.println("threads at the baseline: " + threadGroups());
		AtomicInteger peakThreads = new AtomicInteger();
		// the peak, sampled every 50 ms until the cases end
		Disposable sampler = Flux.interval(Duration.ofMillis(50))
			.subscribe((tick) -> peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max));
		hiccups.start();

		Flux<Ended> hostile = Flux.fromIterable(HOSTILE).flatMap((c) -> run(web, c.name(), c.options()));
		Flux<Ended> benign = Flux.range(1, 6).flatMap((i) -> {
			String uri = (i % 2 == 0) ? "/spells/async-callbacks/run?mode=parallel&calls=3"
					: "/spells/hello/run?name=B" + i;
			return sse(web, uri, null).map((events) -> new Ended(uri, events))
				.delaySubscription(Duration.ofMillis(300L * i));
		});
		Flux<Ended> benignJava = Flux.fromIterable(BENIGN.keySet())
			.concatWithValues("tostring_huge")
			.flatMap((name) -> run(web, name, Map.of()));
		// threads: runs whose coroutines fit the service's bound together, then one run
		// that alone asks for more than the bound
		Flux<Ended> coroutines = Flux
			.concat(Flux.range(1, THREAD_RUNS).flatMap((i) -> run(web, "threads", Map.of(), THREADS_EACH)),
					run(web, "threads", Map.of(), THREADS_OVER).map((e) -> new Ended("threads_over", e.events())))
			.delaySubscription(Duration.ofSeconds(1));
		// fairness: a single call, once the flood run has filled the provider's queue
		Flux<Ended> single = Mono
			.fromRunnable(() -> await().atMost(Duration.ofSeconds(30)).until(() -> shared.limiter.queued() >= 150))
			.subscribeOn(waits)
			.thenMany(run(web, "single", Map.of()));
		Mono<Void> deletes = Flux.fromIterable(DELETED)
			.flatMap((name) -> Mono.fromRunnable(() -> deleteWhileBusy(web, name)).subscribeOn(waits))
			.then();

		long started = System.nanoTime();
		List<Ended> ended = Flux.merge(hostile, benign, benignJava, coroutines, single)
			.mergeWith(deletes.then(Mono.empty()))
			.subscribeOn(waits)
			.collectList()
			.block(Duration.ofSeconds(90));
		figures.put("all ended (ms)", (System.nanoTime() - started) / 1_000_000);
		figures.put("worst 1 ms stall (ms)", hiccups.worstMs());

		assertThat(ended).hasSize(HOSTILE.size() + 6 + BENIGN.size() + 1 + THREAD_RUNS + 2);
		for (Ended run : ended) {
			Map<String, Object> done = run.last("done");
			long durationMs = ((Number) done.get("durationMs")).longValue();
			System.out.println("ended: " + run.name() + " " + done.get("status") + " in " + durationMs + " ms "
					+ run.events()
						.stream()
						.filter((e) -> "error".equals(e.event()))
						.map((e) -> e.data().get("limit"))
						.toList());
			if (run.name().startsWith("/spells/")) {
				assertThat(done).as(run.name()).containsEntry("status", "ok");
				if (run.name().contains("hello")) {
					assertThat(run.outputs()).as(run.name())
						.containsExactly("Hello, B" + run.name().replaceAll(".*=B", "") + "!");
				}
				else {
					assertThat(run.outputs()).as(run.name()).hasSize(4);
				}
			}
			else if (BENIGN.containsKey(run.name())) {
				assertThat(done).as(run.name()).containsEntry("status", "ok");
				assertThat(done.get("result")).as(run.name()).isEqualTo(BENIGN.get(run.name()));
			}
			else if (run.name().equals("tostring_huge")) {
				// a 16 MB __tostring of an error: a Lua error, its message cut
				Map<String, Object> error = run.last("error");
				assertThat(done).as(run.name()).containsEntry("status", "error");
				assertThat(error).as(run.name()).containsEntry("kind", "lua");
				assertThat((String) error.get("message")).hasSizeLessThan(17_000).contains("more characters");
			}
			else if (run.name().equals("threads")) {
				assertThat(done).as(run.name()).containsEntry("status", "ok");
				assertThat(done.get("result")).isEqualTo(THREADS_EACH * (THREADS_EACH + 1) / 2);
			}
			else if (run.name().equals("threads_over")) {
				assertThat(done).as(run.name()).containsEntry("status", "limit");
				assertThat(run.last("error")).as(run.name())
					.containsEntry("kind", "limit")
					.containsEntry("limit", CoroutineThreads.LIMIT);
			}
			else if (run.name().equals("single")) {
				// its share behind the flood: the 4 slots' calls in flight (1 s each)
				// end,
				// then its own turn (0.1 s); 2 s more for a busy machine. Served after
				// the
				// flood's backlog, it would wait 200 / 4 x 1 s = 50 s.
				assertThat(done).as(run.name()).containsEntry("status", "ok");
				assertThat((String) done.get("result")).contains("single");
				assertThat(durationMs).as(run.name()).isLessThan(3100);
				figures.put("single call behind the flood (ms)", durationMs);
			}
			else {
				Hostile expected = HOSTILE.stream()
					.filter((c) -> c.name().equals(run.name()))
					.findFirst()
					.orElseThrow();
				Map<String, Object> error = run.last("error");
				assertThat(error).as(run.name())
					.containsEntry("kind", "limit")
					.containsEntry("limit", expected.limit());
				assertThat(done.get("status")).as(run.name())
					.isEqualTo(expected.limit().equals("timeout") ? "timeout" : "limit");
				assertThat(durationMs).as(run.name()).isLessThan(expected.timeoutMs() + 1000 + hiccups.allowanceMs());
				figures.put(run.name() + " (ms)", durationMs);
			}
		}
		sampler.dispose();
		waits.dispose();
		hiccups.interrupt();
		// the documented bound on Java 17: max-coroutine-threads, plus one thread per
		// running run (at most 30 here), plus the server's pools (the baseline)
		figures.put("threads: baseline", (long) baselineThreads);
		figures.put("threads: peak", (long) peakThreads.get());
		assertThat(peakThreads.get()).isLessThan(baselineThreads + COROUTINE_THREADS + 30);
		// threads back to the baseline: pools may have grown by a few (Netty, Reactor)
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> threads.getThreadCount() <= baselineThreads + 8);
		}
		finally {
			System.out.println("threads now: " + threadGroups());
		}
		figures.put("threads: after", (long) threads.getThreadCount());
		// heap back to the baseline: what stays is the ~35 finished runs' events, kept
		// for retention (at most max-output-bytes, 1 MB, each; most far less), and caches
		figures.put("heap MB: baseline", baselineHeap >> 20);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> usedAfterGc(memory) < baselineHeap + (48L << 20));
		figures.put("heap MB: after", usedAfterGc(memory) >> 20);
		System.out.println("figures: " + figures);
		assertThat(output.getAll()).doesNotContain("OutOfMemoryError").doesNotContain("internal error");
	}

	private Flux<Ended> run(WebClient web, String name, Map<String, Object> options) {
		return run(web, name, options, 0);
	}

	private Flux<Ended> run(WebClient web, String name, Map<String, Object> options, int n) {
		Map<String, Object> body = Map.of("params", Map.of("case", name, "n", n), "options", options);
		return sse(web, "/spells/java-work/run", body).map((events) -> new Ended(name, events)).flux();
	}

	private static Mono<List<ServerSentEvent<Map<String, Object>>>> sse(WebClient web, String uri, Object body) {
		WebClient.RequestBodySpec request = web.post().uri(uri).accept(MediaType.TEXT_EVENT_STREAM);
		WebClient.RequestHeadersSpec<?> ready = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body) : request;
		return ready.retrieve().bodyToFlux(SSE).filter((event) -> event.event() != null).collectList();
	}

	/**
	 * Starts a run that loops for ever in Java work, DELETEs it once it is busy, and
	 * checks that it stopped within a second of the DELETE's answer.
	 */
	private void deleteWhileBusy(WebClient web, String name) {
		Map<?, ?> accepted = web.post()
			.uri("/spells/java-work/runs")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("params", Map.of("case", name)))
			.retrieve()
			.bodyToMono(Map.class)
			.block(Duration.ofSeconds(30));
		String id = (String) accepted.get("runId");
		SpellRun run = registry.get(id);
		await().atMost(Duration.ofSeconds(30)).until(() -> run.state() != SpellRun.State.QUEUED);
		// into its loop: it has built its input (the compiler's case builds none)
		if (!name.startsWith("load")) {
			await().atMost(Duration.ofSeconds(20)).until(() -> run.heldBytes() > (4 << 20));
		}
		await().pollDelay(Duration.ofMillis(500)).until(() -> true);
		assertThat(run.state()).as(name).isEqualTo(SpellRun.State.RUNNING);
		web.delete().uri("/runs/{id}", id).retrieve().toBodilessEntity().block(Duration.ofSeconds(30));
		Instant deleted = Instant.now();
		await().atMost(Duration.ofSeconds(10)).until(() -> run.state() == SpellRun.State.FINISHED);
		assertThat(run.outcome().status()).as(name).isEqualTo("cancelled");
		long stoppedMs = Duration.between(deleted, run.finishedAt()).toMillis();
		figures.put("DELETE " + name + " (ms)", stoppedMs);
		// measured from the DELETE's answer, when the run has been told: the rest is its
		// thread getting a core to see it
		assertThat(stoppedMs).as(name).isLessThan(1000 + hiccups.allowanceMs());
	}

	/**
	 * A starvation meter: a thread busy like a run's, doing 1 ms of CPU work at a time,
	 * that records how much longer than that each millisecond took on the clock. That is
	 * time in which a busy thread of this JVM could not run (a collection's pause, cores
	 * held by the ~30 busy threads here and by other processes on the host), which no
	 * check in the runtime can shorten: a run checks its deadline and cancellation every
	 * few thousand values or instructions, well under a millisecond of work. The "limit
	 * plus one second" bounds allow for such stalls ({@link #allowanceMs}), and only for
	 * them.
	 */
	static final class Hiccups extends Thread {

		private static final long UNIT = 1_000_000;

		private final AtomicLong worstNanos = new AtomicLong();

		Hiccups() {
			super("hiccups");
			setDaemon(true);
		}

		long worstMs() {
			return worstNanos.get() / 1_000_000;
		}

		/**
		 * What the bounds allow beyond their second: a run reaches its next check within
		 * a few milliseconds of work, and each may stall as long as the worst seen.
		 * Zero-ish on a quiet machine; on a host at a load of 20 (as seen) it is seconds.
		 */
		long allowanceMs() {
			return 4 * worstMs();
		}

		@Override
		public void run() {
			ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
			while (!isInterrupted()) {
				long start = System.nanoTime();
				long cpuStart = cpu.getCurrentThreadCpuTime();
				while (cpu.getCurrentThreadCpuTime() - cpuStart < UNIT) {
					Thread.onSpinWait();
				}
				long stalled = System.nanoTime() - start - UNIT;
				worstNanos.accumulateAndGet(stalled, Math::max);
			}
		}

	}

	/** Live threads by name, digits dropped: what a pool has. */
	private static Map<String, Long> threadGroups() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.collect(java.util.stream.Collectors.groupingBy((t) -> t.getName().replaceAll("\\d+", "#"),
					java.util.TreeMap::new, java.util.stream.Collectors.counting()));
	}

	private static long usedAfterGc(MemoryMXBean memory) {
		memory.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * The mock behind a limiter of 4 calls in flight, 1,000 queued, like an HTTP
	 * provider's: the provider the flood and single cases share.
	 */
	static final class SharedProvider implements LlmProvider {

		final ConcurrencyLimiter limiter = new ConcurrencyLimiter("limited", 4, 1000);

		private final MockProvider mock;

		SharedProvider(MockProvider mock) {
			this.mock = mock;
		}

		@Override
		public String name() {
			return "limited";
		}

		@Override
		public String defaultModel() {
			return mock.defaultModel();
		}

		@Override
		public Mono<ChatResponse> chat(ChatRequest request) {
			return limiter.limit(mock.chat(request));
		}

		@Override
		public Flux<ChatChunk> stream(ChatRequest request) {
			return limiter.limit(mock.stream(request));
		}

		@Override
		public Mono<List<String>> listModels() {
			return mock.listModels();
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SharedProviderConfiguration {

		@Bean
		SharedProvider sharedProvider(MockProvider mock) {
			return new SharedProvider(mock);
		}

	}

}
