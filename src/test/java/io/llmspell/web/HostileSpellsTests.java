package io.llmspell.web;

import io.llmspell.test.TestHttp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every hostile spell at once, while benign runs go on on the same server: each hostile
 * run ends with a clear limit within its limit plus a second, every benign run completes
 * with the right output, and the service stays healthy, with no OutOfMemoryError or
 * StackOverflowError.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "llmspell.limits.run-timeout=20s", "llmspell.limits.max-instructions=50000000",
		"llmspell.limits.max-memory=64MB", "llmspell.limits.max-string-size=1MB", "llmspell.limits.max-coroutines=100",
		"llmspell.limits.max-pending=500", "llmspell.limits.max-output-bytes=256KB" })
class HostileSpellsTests extends ServerTests {

	/**
	 * CPU-bound loops meet their instruction budget, and allocating loops their memory
	 * budget, or, with a dozen hostile runs sharing two cores, their deadline first.
	 * RunLimitsTests checks each limit alone.
	 */
	private static final String CPU = "max-instructions|timeout";

	private static final String MEMORY = "max-memory|timeout";

	private static final Map<String, String> EXPECTED = Map.ofEntries(Map.entry("loop", CPU),
			Map.entry("pcall_loop", CPU), Map.entry("coroutine_loop", CPU), Map.entry("callback_loop", CPU),
			Map.entry("recursion", "max-call-depth"), Map.entry("doubling", "max-string-size"),
			Map.entry("rep", "max-string-size"), Map.entry("rep_overflow", "max-string-size"),
			Map.entry("big_strings", MEMORY), Map.entry("tables", MEMORY), Map.entry("pattern", "timeout"),
			Map.entry("coroutines", "max-coroutines"), Map.entry("flood", "max-pending"),
			Map.entry("print_loop", "max-output-bytes"), Map.entry("sleep", "timeout"));

	/** The cases only a deadline can stop. */
	private static final Set<String> TIME_CASES = Set.of("pattern", "sleep");

	@LocalServerPort
	int port;

	record Ended(String name, List<ServerSentEvent<Map<String, Object>>> events, long elapsedMs) {
	}

	@Test
	void hostileRunsEndWithTheirLimitWhileBenignRunsGoOn(CapturedOutput output) {
		WebClient web = TestHttp.webClient(port);

		Flux<Ended> hostile = Flux.fromIterable(EXPECTED.keySet()).flatMap((name) -> {
			long start = System.nanoTime();
			// the time cases get 3 s; the others have 20 s, so that on a busy machine
			// their
			// own limit, not the clock, is what stops them
			String body = TIME_CASES.contains(name) ? "{\"options\":{\"timeout\":3}}" : "{}";
			Flux<ServerSentEvent<Map<String, Object>>> events = web.post()
				.uri("/spells/hostile/run?case=" + name)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.retrieve()
				.bodyToFlux(SSE)
				.filter((event) -> event.event() != null);
			if (name.equals("print_loop")) {
				// a slow client: the run must still end at its output limit
				events = events.limitRate(1).delayElements(Duration.ofMillis(1));
			}
			return events.collectList()
				.map((list) -> new Ended(name, list, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
		});
		Flux<Ended> benign = Flux.range(1, 6).flatMap((i) -> {
			String uri = (i % 2 == 0) ? "/spells/async-callbacks/run?mode=parallel&calls=3"
					: "/spells/hello/run?name=B" + i;
			return web.post()
				.uri(uri)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.retrieve()
				.bodyToFlux(SSE)
				.filter((event) -> event.event() != null)
				.collectList()
				.map((list) -> new Ended(uri, list, 0))
				.delaySubscription(Duration.ofMillis(300L * i));
		});

		List<Ended> ended = Flux.merge(hostile, benign)
			.subscribeOn(Schedulers.boundedElastic())
			.collectList()
			.block(Duration.ofSeconds(90));

		assertThat(ended).hasSize(EXPECTED.size() + 6);
		for (Ended run : ended) {
			Map<String, Object> done = run.events().get(run.events().size() - 1).data();
			if (run.name().startsWith("/spells/")) {
				assertThat(done).as(run.name()).containsEntry("status", "ok");
				List<Object> outputs = run.events()
					.stream()
					.filter((e) -> "output".equals(e.event()))
					.map((e) -> e.data().get("text"))
					.map(Object.class::cast)
					.toList();
				if (run.name().contains("hello")) {
					assertThat(outputs).as(run.name())
						.containsExactly("Hello, B" + run.name().replaceAll(".*=B", "") + "!");
				}
				else {
					assertThat(outputs).as(run.name()).hasSize(4);
				}
				continue;
			}
			String limit = EXPECTED.get(run.name());
			Map<String, Object> error = run.events()
				.stream()
				.filter((e) -> "error".equals(e.event()))
				.findFirst()
				.orElseThrow(() -> new AssertionError(run.name() + " ended without an error event: " + done))
				.data();
			assertThat(error).as(run.name()).containsEntry("kind", "limit");
			String hit = (String) error.get("limit");
			assertThat(hit).as(run.name()).matches(limit);
			assertThat(done.get("status")).as(run.name()).isEqualTo(hit.equals("timeout") ? "timeout" : "limit");
			// the run's own clock: a time case within its 3 s plus a second; the others
			// ended by their own limit, well before the 20 s deadline
			long timeout = TIME_CASES.contains(run.name()) ? 3000 : 20_000;
			assertThat(((Number) done.get("durationMs")).longValue()).as(run.name()).isLessThan(timeout + 1000);
			// (the client's own clock also counts connecting on a saturated two-core
			// machine, and
			// the slow client reading what was buffered: only a hang would show there)
			assertThat(run.elapsedMs()).as(run.name()).isLessThan(30_000);
		}

		client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		// every run's threads (coroutines too) are released
		await().atMost(Duration.ofSeconds(10)).until(() -> LuaThreads.live() == 0);
		assertThat(output.getAll()).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
	}

}
