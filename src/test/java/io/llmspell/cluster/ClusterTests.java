package io.llmspell.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import io.llmspell.LlmspellApplication;
import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.LlmProviders;
import io.llmspell.llm.Usage;
import io.llmspell.store.StorageBackend;
import io.llmspell.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the service (two Spring contexts on random ports) sharing a real
 * Redis: runs started on A are read, resumed and cancelled from B; an instance that dies
 * or stops mid-run; the cluster-wide provider limits; Redis restarting under a run.
 */
class ClusterTests {

	static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE = new ParameterizedTypeReference<>() {
	};

	static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	static RedisServer redis;

	static ConfigurableApplicationContext a;

	static ConfigurableApplicationContext b;

	@BeforeAll
	static void startCluster() throws Exception {
		redis = RedisServer.start();
		a = instance("a");
		b = instance("b");
	}

	@AfterAll
	static void stopCluster() throws Exception {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { a, b }) {
			if (context != null) {
				context.close();
			}
		}
		if (redis != null) {
			redis.close();
		}
	}

	static ConfigurableApplicationContext instance(String name, String... extra) {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"llmspell.spells.dir=src/test/resources/spells-runs", "llmspell.spells.refresh-interval=0s",
				"llmspell.llm.mock.latency=50ms", "llmspell.http.retry=300ms", "llmspell.shutdown.grace-period=0s",
				"llmspell.cluster.redis-url=" + redis.url(), "llmspell.cluster.instance-id=" + name,
				"llmspell.cluster.lease-ttl=1500ms", "llmspell.cluster.poll-interval=200ms",
				"llmspell.cluster.command-timeout=2s", "llmspell.storage.backend=redis",
				// an OpenAI nobody answers, to see its requests pass the cluster's limits
				"llmspell.llm.openai.base-url=http://127.0.0.1:9/v1", "llmspell.llm.provider=mock",
				"llmspell.llm.max-retries=0", "llmspell.cluster.limits.openai.requests-per-minute=1",
				"llmspell.cluster.limits.openai.on-limit=fail",
				"llmspell.cluster.limits.fail-rpm.requests-per-minute=5",
				"llmspell.cluster.limits.fail-rpm.on-limit=fail",
				"llmspell.cluster.limits.wait-in-flight.max-in-flight=2",
				"llmspell.cluster.limits.fail-tokens.tokens-per-minute=100",
				"llmspell.cluster.limits.fail-tokens.on-limit=fail"));
		properties.addAll(List.of(extra));
		// as arguments: they must win over application.yaml
		return new SpringApplicationBuilder(LlmspellApplication.class, OwnNettyResources.class)
			.run(properties.stream().map((property) -> "--" + property).toArray(String[]::new));
	}

	/**
	 * Event loops of each instance's own: by default every server of the JVM shares
	 * Reactor Netty's global ones, and the first instance to stop would dispose them for
	 * all.
	 */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class OwnNettyResources {

		@org.springframework.context.annotation.Bean
		org.springframework.http.client.ReactorResourceFactory reactorResourceFactory() {
			org.springframework.http.client.ReactorResourceFactory factory = new org.springframework.http.client.ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

	static WebClient client(ConfigurableApplicationContext context) {
		return TestHttp.webClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	static String startTicker(ConfigurableApplicationContext on, int count, double delay) {
		Map<String, Object> accepted = client(on).post()
			.uri("/spells/ticker/runs?count={count}&delay={delay}", count, delay)
			.retrieve()
			.bodyToMono(JSON)
			.block(Duration.ofSeconds(10));
		return (String) accepted.get("runId");
	}

	static Flux<ServerSentEvent<Map<String, Object>>> watch(ConfigurableApplicationContext on, String runId,
			Long lastEventId) {
		return client(on).get().uri("/runs/{id}/events", runId).accept(MediaType.TEXT_EVENT_STREAM).headers((h) -> {
			if (lastEventId != null) {
				h.set("Last-Event-ID", String.valueOf(lastEventId));
			}
		}).retrieve().bodyToFlux(SSE).filter((event) -> event.event() != null);
	}

	static List<Long> ids(List<ServerSentEvent<Map<String, Object>>> events) {
		return events.stream().map((event) -> Long.parseLong(event.id())).toList();
	}

	static List<Long> range(long from, long to) {
		List<Long> ids = new ArrayList<>();
		for (long id = from; id <= to; id++) {
			ids.add(id);
		}
		return ids;
	}

	static ServerSentEvent<Map<String, Object>> last(List<ServerSentEvent<Map<String, Object>>> events) {
		return events.get(events.size() - 1);
	}

	@Test
	void runStartedOnAIsWatchedLiveAndResumedFromB() {
		String runId = startTicker(a, 8, 0.2);
		// live from B while A runs it: the first three events, then the client goes away
		List<ServerSentEvent<Map<String, Object>>> first = watch(b, runId, null).take(3)
			.collectList()
			.block(Duration.ofSeconds(20));
		assertThat(ids(first)).containsExactly(1L, 2L, 3L);
		assertThat(first.get(0).event()).isEqualTo("start");
		// resumed from B after the third
		List<ServerSentEvent<Map<String, Object>>> rest = watch(b, runId, 3L).collectList()
			.block(Duration.ofSeconds(20));
		assertThat(ids(rest)).isEqualTo(range(4, ids(rest).get(ids(rest).size() - 1)));
		assertThat(last(rest).event()).isEqualTo("done");
		assertThat(last(rest).data()).containsEntry("status", "ok");
		// B tells its status like A does
		Map<String, Object> onB = client(b).get().uri("/runs/{id}", runId).retrieve().bodyToMono(JSON).block();
		Map<String, Object> onA = client(a).get().uri("/runs/{id}", runId).retrieve().bodyToMono(JSON).block();
		assertThat(onB).containsEntry("state", "finished")
			.containsEntry("status", "ok")
			.containsEntry("spell", "ticker")
			.containsEntry("lastEventId", onA.get("lastEventId"))
			.containsEntry("output", onA.get("output"))
			.containsEntry("result", onA.get("result"));
		// and a client that has everything gets 204, as from A
		HttpStatus status = (HttpStatus) client(b).get()
			.uri("/runs/{id}/events", runId)
			.header("Last-Event-ID", String.valueOf(onA.get("lastEventId")))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToMono((response) -> Mono.just(response.statusCode()))
			.block();
		assertThat(status).isEqualTo(HttpStatus.NO_CONTENT);
	}

	@Test
	void deleteOnBCancelsTheRunOnA() {
		String runId = startTicker(a, 200, 0.1);
		List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
		Disposable watching = watch(b, runId, null).subscribe(events::add);
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
			Map<String, Object> accepted = client(b).delete()
				.uri("/runs/{id}", runId)
				.retrieve()
				.bodyToMono(JSON)
				.block(Duration.ofSeconds(5));
			assertThat(accepted).containsEntry("runId", runId).containsEntry("cancelReason", "cancelled by DELETE");
			await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty() && last(events).event().equals("done"));
			assertThat(last(events).data()).containsEntry("status", "cancelled");
			Map<String, Object> onA = client(a).get().uri("/runs/{id}", runId).retrieve().bodyToMono(JSON).block();
			assertThat(onA).containsEntry("status", "cancelled").containsEntry("cancelReason", "cancelled by DELETE");
		}
		finally {
			watching.dispose();
		}
	}

	@Test
	void aWatcherOfARunWhoseInstanceDiedEndsWithLost() {
		ConfigurableApplicationContext doomed = instance("doomed");
		try {
			String runId = startTicker(doomed, 200, 0.1);
			List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
			Disposable watching = watch(b, runId, null).subscribe(events::add);
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
				// the instance is gone for Redis: no more events, no more lease renewals
				doomed.getBean(ClusterRedis.class).destroy();
				await().atMost(Duration.ofSeconds(15))
					.until(() -> !events.isEmpty() && last(events).event().equals("done"));
				ServerSentEvent<Map<String, Object>> error = events.get(events.size() - 2);
				assertThat(error.event()).isEqualTo("error");
				assertThat(error.data()).containsEntry("kind", "lost");
				assertThat(last(events).data()).containsEntry("status", "error");
				assertThat(ids(events)).isEqualTo(range(1, events.size()));
				Map<String, Object> status = client(a).get()
					.uri("/runs/{id}", runId)
					.retrieve()
					.bodyToMono(JSON)
					.block();
				assertThat(status).containsEntry("state", "finished").containsEntry("status", "error");
			}
			finally {
				watching.dispose();
			}
		}
		finally {
			doomed.close();
		}
	}

	@Test
	void anInstanceThatStopsEndsItsRunsAndTheyStayReadableFromTheOthers() {
		ConfigurableApplicationContext leaving = instance("leaving");
		String runId;
		List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
		Disposable watching;
		try {
			runId = startTicker(leaving, 200, 0.1);
			watching = watch(b, runId, null).subscribe(events::add);
			await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
		}
		finally {
			leaving.close();
		}
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !events.isEmpty() && last(events).event().equals("done"));
			assertThat(last(events).data()).containsEntry("status", "cancelled");
			Map<String, Object> status = client(a).get().uri("/runs/{id}", runId).retrieve().bodyToMono(JSON).block();
			assertThat(status).containsEntry("status", "cancelled")
				.containsEntry("cancelReason", "the server is shutting down");
			// and a new client reads it whole from A
			List<ServerSentEvent<Map<String, Object>>> whole = watch(a, runId, null).collectList()
				.block(Duration.ofSeconds(10));
			assertThat(ids(whole)).isEqualTo(ids(events));
		}
		finally {
			watching.dispose();
		}
	}

	@Test
	void requestsPerMinuteHoldAcrossBothInstances() {
		ClusterCallGate onA = a.getBean(ClusterCallGate.class);
		ClusterCallGate onB = b.getBean(ClusterCallGate.class);
		AtomicInteger passed = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		for (int i = 0; i < 8; i++) {
			ClusterCallGate gate = (i % 2 == 0) ? onA : onB;
			gate.admit("fail-rpm", Mono.fromCallable(passed::incrementAndGet), null)
				.onErrorResume(LlmException.class, (ex) -> {
					assertThat(ex.status()).isEqualTo(429);
					refused.incrementAndGet();
					return Mono.empty();
				})
				.block(Duration.ofSeconds(5));
		}
		assertThat(passed).hasValue(5);
		assertThat(refused).hasValue(3);
	}

	@Test
	void requestsInFlightHoldAcrossBothInstancesAndTheOthersWait() {
		ClusterCallGate onA = a.getBean(ClusterCallGate.class);
		ClusterCallGate onB = b.getBean(ClusterCallGate.class);
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		List<Mono<Integer>> calls = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Mono<Integer> call = Mono.fromCallable(() -> {
				int now = inFlight.incrementAndGet();
				most.accumulateAndGet(now, Math::max);
				return now;
			}).delayElement(Duration.ofMillis(200)).doFinally((signal) -> inFlight.decrementAndGet());
			calls.add(((i % 2 == 0) ? onA : onB).admit("wait-in-flight", call, null));
		}
		List<Integer> answered = Flux.merge(calls).collectList().block(Duration.ofSeconds(20));
		assertThat(answered).hasSize(6);
		assertThat(most.get()).isBetween(1, 2);
	}

	@Test
	void tokensPerMinuteHoldAcrossBothInstances() {
		ClusterCallGate onA = a.getBean(ClusterCallGate.class);
		ClusterCallGate onB = b.getBean(ClusterCallGate.class);
		String answer = onA.admit("fail-tokens", Mono.just("answer"), (text) -> new Usage(60, 90))
			.block(Duration.ofSeconds(5));
		assertThat(answer).isEqualTo("answer");
		// 150 of the minute's 100 tokens are spent: B's next request is refused
		Mono<String> next = onB.admit("fail-tokens", Mono.just("more"), (text) -> Usage.NONE);
		assertThat(next.map((text) -> (Object) text)
			.onErrorResume(LlmException.class, (ex) -> Mono.just(ex.status()))
			.block(Duration.ofSeconds(5))).isEqualTo(429);
	}

	@Test
	void anHttpProvidersRequestsPassTheClusterLimits() {
		LlmProviders onA = a.getBean(LlmProviders.class);
		LlmProviders onB = b.getBean(LlmProviders.class);
		ChatRequest request = new ChatRequest(null, List.of(new ChatMessage("user", "hi")), null, null, null,
				Duration.ofSeconds(5));
		// one request per minute for openai: the first goes out (and finds nobody at the
		// port), the second, from B, is refused by the cluster's limit
		Object first = onA.find("openai")
			.orElseThrow()
			.chat(request)
			.map((response) -> (Object) response)
			.onErrorResume(LlmException.class, (ex) -> Mono.just(ex.getMessage()))
			.block(Duration.ofSeconds(10));
		assertThat(String.valueOf(first)).doesNotContain("cluster limit");
		Object second = onB.find("openai")
			.orElseThrow()
			.chat(request)
			.map((response) -> (Object) response)
			.onErrorResume(LlmException.class, (ex) -> Mono.just(ex.status() + " " + ex.getMessage()))
			.block(Duration.ofSeconds(10));
		assertThat(String.valueOf(second)).startsWith("429").contains("cluster limit of 1 requests per minute");
	}

	@Test
	void whatAWritesToStorageBReads() {
		StorageBackend onA = a.getBean(StorageBackend.class);
		StorageBackend onB = b.getBean(StorageBackend.class);
		assertThat(onA).isInstanceOf(RedisStorageBackend.class);
		onA.set("notes", "greeting", "\"hello\"", null).block(Duration.ofSeconds(5));
		onA.write("notes", "draft", "some text").block(Duration.ofSeconds(5));
		assertThat(onB.get("notes", "greeting").block(Duration.ofSeconds(5))).isEqualTo("\"hello\"");
		assertThat(onB.read("notes", "draft").block(Duration.ofSeconds(5))).isEqualTo("some text");
		assertThat(onB.usage("notes").block(Duration.ofSeconds(5)).entries()).isEqualTo(2);
	}

	@Test
	void aRunGoesOnWhileRedisRestartsAndItsWatchersCatchUp() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(redis.restartable(), "Redis runs in a container");
		String runId = startTicker(a, 25, 0.2);
		List<ServerSentEvent<Map<String, Object>>> events = new CopyOnWriteArrayList<>();
		Disposable watching = watch(b, runId, null).subscribe(events::add);
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 3);
			// everything Redis held is gone with it
			redis.restart();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> !events.isEmpty() && last(events).event().equals("done"));
			assertThat(last(events).data()).containsEntry("status", "ok");
			assertThat(ids(events)).isEqualTo(range(1, events.size()));
		}
		finally {
			watching.dispose();
		}
	}

}
