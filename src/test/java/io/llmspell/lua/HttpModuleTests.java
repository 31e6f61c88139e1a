package io.llmspell.lua;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.llmspell.outbound.OutboundHttpClient;
import io.llmspell.outbound.OutboundProperties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code http} module against servers on loopback. Every refusal is checked to happen
 * before a connection: the servers see nothing, and non-loopback addresses (10.x,
 * 169.254.169.254) are refused before any packet leaves.
 */
class HttpModuleTests {

	static WireMockServer server;

	static String base;

	static int port;

	private final LuaRunFixture fixture = new LuaRunFixture();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private OutboundHttpClient client;

	@BeforeAll
	static void start() {
		server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		port = server.port();
		base = "http://127.0.0.1:" + port;
		server.stubFor(get("/hello").willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/plain; charset=utf-8")
			.withHeader("X-Test", "yes")
			.withBody("hello there")));
		server.stubFor(post("/echo").willReturn(aResponse().withStatus(201).withBody("created")));
		server.stubFor(get("/missing").willReturn(aResponse().withStatus(404).withBody("nope")));
		server.stubFor(get("/big").willReturn(aResponse().withStatus(200).withBody("x".repeat(100_000))));
		server.stubFor(get("/hop").willReturn(aResponse().withStatus(302).withHeader("Location", "/hello")));
		server.stubFor(get("/to-localhost").willReturn(
				aResponse().withStatus(302).withHeader("Location", "http://localhost:" + (port + 1) + "/never")));
		server.stubFor(get("/to-private")
			.willReturn(aResponse().withStatus(307).withHeader("Location", "http://10.0.0.1/never")));
	}

	@AfterAll
	static void stop() {
		server.stop();
	}

	@AfterEach
	void close() {
		if (client != null) {
			client.close();
		}
	}

	private void allow(String... entries) {
		client = new OutboundHttpClient(new OutboundProperties(List.of(entries), Duration.ofSeconds(5), 5, 50),
				List.of("sk-test-secret-key-123"), registry);
		fixture.backends = new ModuleBackends(client, null);
	}

	private List<String> run(String source) {
		RunOutcome outcome = fixture.run(source);
		assertThat(outcome.status()).as("%s", outcome.error()).isEqualTo("ok");
		return fixture.output();
	}

	@Test
	void getsFromAnAllowedHost() {
		allow("127.0.0.1:" + port);
		List<String> output = run("""
				local r, err = http.get('%s/hello')
				print(r.status, r.body, r.headers['x-test'], r.headers['content-type'])
				local p = http.post('%s/echo', 'payload', { headers = { ['X-Kind'] = 'test' } })
				print(p.status, p.body)
				local m = http.request{ method = 'GET', url = '%s/missing' }
				print(m.status, m.body)
				""".formatted(base, base, base));
		assertThat(output).containsExactly("200\thello there\tyes\ttext/plain; charset=utf-8", "201\tcreated",
				"404\tnope");
		server.verify(postRequestedFor(urlEqualTo("/echo")).withHeader("X-Kind", equalTo("test")));
		assertThat(registry.get(OutboundHttpClient.REQUESTS)
			.tag("host", "127.0.0.1")
			.tag("outcome", "2xx")
			.timers()
			.stream()
			.mapToLong((timer) -> timer.count())
			.sum()).isEqualTo(2);
		assertThat(registry.get(OutboundHttpClient.REQUESTS).tag("outcome", "4xx").timer().count()).isEqualTo(1);
	}

	@Test
	void theWebFetchToolGoesThroughTheModule() {
		allow("127.0.0.1:" + port);
		assertThat(run("""
				local page = tools.execute('web_fetch', { url = '%s/hello' })
				print(page.status, page.content, page.content_type)
				print(tools.execute('web_fetch', { url = 'http://example.com/' }))
				""".formatted(base))).containsExactly("200\thello there\ttext/plain; charset=utf-8",
				"nil\thttp: host 'example.com:80' is not allowed (llmspell.http.allow)");
	}

	@Test
	void nothingIsReachableUntilAllowed() {
		allow();
		assertThat(run("print(http.get('%s/hello'))".formatted(base)).get(0))
			.startsWith("nil\thttp: host '127.0.0.1' is not allowed");
	}

	@Test
	void aHostThatIsNotAllowedIsRefused() {
		allow("127.0.0.1:" + port);
		int before = server.getAllServeEvents().size();
		assertThat(run("""
				print(http.get('http://example.com/'))
				print(http.get('http://127.0.0.1:%d/hello'))
				""".formatted(port + 1))).containsExactly(
				"nil\thttp: host 'example.com:80' is not allowed (llmspell.http.allow)",
				"nil\thttp: host '127.0.0.1:" + (port + 1) + "' is not allowed (llmspell.http.allow)");
		assertThat(server.getAllServeEvents()).hasSize(before);
	}

	@Test
	void loopbackPrivateAndMetadataAddressesAreRefusedUnlessListed() {
		allow("*", "*:*");
		int before = server.getAllServeEvents().size();
		List<String> output = run("""
				print(http.get('%s/hello'))
				print(http.get('http://10.1.2.3/'))
				print(http.get('http://169.254.169.254/latest/meta-data/'))
				print(http.get('http://localhost:%d/hello'))
				print(http.get('http://[::1]:%d/hello'))
				""".formatted(base, port, port));
		assertThat(output.get(0)).startsWith("nil\thttp: refused to connect to 127.0.0.1: 127.0.0.1 is a loopback");
		assertThat(output.get(1)).startsWith("nil\thttp: refused to connect to 10.1.2.3: 10.1.2.3 is a private");
		assertThat(output.get(2))
			.startsWith("nil\thttp: refused to connect to 169.254.169.254: 169.254.169.254 is a link-local");
		assertThat(output.get(3)).startsWith("nil\thttp: refused to connect to localhost: ").contains("loopback");
		assertThat(output.get(4)).contains("loopback");
		assertThat(server.getAllServeEvents()).hasSize(before);
	}

	@Test
	void aNameThatResolvesToLoopbackIsRefusedEvenWhenTheNameIsAllowed() {
		allow("localhost:" + port);
		int before = server.getAllServeEvents().size();
		assertThat(run("print(http.get('http://localhost:%d/hello'))".formatted(port)).get(0))
			.startsWith("nil\thttp: refused to connect to localhost: ")
			.contains("is a loopback address (allow it by that address");
		assertThat(server.getAllServeEvents()).hasSize(before);
	}

	@Test
	void redirectsAreFollowedAndCheckedHopByHop() {
		// 127.0.0.1 is listed with one port only: localhost on another port resolves to
		// an address nobody listed
		allow("127.0.0.1:" + port, "localhost:*", "*");
		List<String> output = run("""
				local r = http.get('%s/hop')
				print(r.status, r.body, r.url)
				print(http.get('%s/to-localhost'))
				print(http.get('%s/to-private'))
				""".formatted(base, base, base));
		assertThat(output.get(0)).isEqualTo("200\thello there\t" + base + "/hello");
		assertThat(output.get(1)).startsWith("nil\thttp: refused to connect to localhost: ").contains("loopback");
		assertThat(output.get(2)).startsWith("nil\thttp: refused to connect to 10.0.0.1: 10.0.0.1 is a private");
		assertThat(server.getAllServeEvents()).noneMatch((event) -> event.getRequest().getUrl().equals("/never"));
	}

	@Test
	void aResponseBiggerThanTheLimitIsCutWithAnError() {
		allow("127.0.0.1:*");
		fixture.limits = limits(10, 10_000);
		assertThat(run("print(http.get('%s/big'))".formatted(base)))
			.containsExactly("nil\thttp: response larger than 10000 bytes (cut)");
	}

	@Test
	void anEndlessResponseIsCutNotBuffered() throws IOException {
		HttpServer endless = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		AtomicInteger written = new AtomicInteger();
		endless.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(200, 0); // chunked, no length
			byte[] chunk = "y".repeat(8192).getBytes(StandardCharsets.UTF_8);
			try (OutputStream out = exchange.getResponseBody()) {
				while (written.get() < 1_000_000_000) {
					out.write(chunk);
					written.addAndGet(chunk.length);
				}
			}
			catch (IOException ex) {
				// the client went away: what we want
			}
		});
		endless.start();
		try {
			allow("127.0.0.1:*");
			fixture.limits = limits(10, 64_000);
			assertThat(run("print(http.get('http://127.0.0.1:%d/'))".formatted(endless.getAddress().getPort())))
				.containsExactly("nil\thttp: response larger than 64000 bytes (cut)");
		}
		finally {
			endless.stop(0);
		}
		assertThat(written.get()).isLessThan(1_000_000_000);
	}

	@Test
	void twentyRequestsAsyncOverlap() throws IOException {
		// every response waits until all 20 requests have arrived: if they did not
		// overlap, none would ever be answered
		int n = 20;
		CountDownLatch arrived = new CountDownLatch(n);
		HttpServer gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
		ExecutorService threads = Executors.newFixedThreadPool(n + 4);
		gate.setExecutor(threads);
		gate.createContext("/", (exchange) -> {
			arrived.countDown();
			boolean all;
			try {
				all = arrived.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				all = false;
			}
			byte[] body = (all ? "together" : "alone").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		gate.start();
		try {
			allow("127.0.0.1:*");
			fixture.limits = limits(100, 1000);
			List<String> output = run("""
					local results, started = {}, 0
					for i = 1, 20 do
					  local id = http.request_async({ url = 'http://127.0.0.1:%d/' .. i },
					    function(r) results[#results + 1] = r.body end,
					    function(e) results[#results + 1] = e end)
					  started = started + 1
					end
					print(started, async.pending_count())
					async.wait_all(40)
					print(#results, table.concat(results, ','))
					""".formatted(gate.getAddress().getPort()));
			assertThat(output.get(0)).isEqualTo("20\t20");
			assertThat(output.get(1))
				.isEqualTo("20\t" + String.join(",", java.util.Collections.nCopies(20, "together")));
		}
		finally {
			gate.stop(0);
			threads.shutdownNow();
		}
	}

	@Test
	void fetchIsAPromiseAndAsyncCancelStopsARequest() {
		allow("127.0.0.1:" + port);
		server.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(20_000).withBody("late")));
		List<String> output = run("""
				local r = http.fetch('%s/hello'):await()
				print(r.status, r.body)
				local values = promise.await_all({ http.fetch('%s/hello'), http.fetch({ url = '%s/missing' }) })
				print(values[1].status, values[2].status)
				local called = false
				local id = http.request_async('%s/slow', function() called = true end)
				print(async.cancel(id), async.pending_count(), async.cancel(id))
				async.wait_all(1)
				print(called)
				print(http.fetch('http://example.com/'):await())
				""".formatted(base, base, base, base));
		assertThat(output).containsExactly("200\thello there", "200\t404", "true\t0\tfalse", "false",
				"nil\thttp: host 'example.com:80' is not allowed (llmspell.http.allow)");
	}

	@Test
	void theRunsRequestLimitHolds() {
		allow("127.0.0.1:" + port);
		fixture.limits = limits(2, 1000);
		List<String> output = run("""
				print(http.get('%s/hello').status)
				print(http.request_async('%s/hello', function() end) ~= nil)
				print(http.get('%s/hello'))
				""".formatted(base, base, base));
		assertThat(output).containsExactly("200", "true",
				"nil\thttp: more than 2 requests in this run (limit max-http-requests)");
	}

	@Test
	void aRequestCarryingAProviderKeyIsRefused() {
		allow("127.0.0.1:" + port);
		int before = server.getAllServeEvents().size();
		assertThat(run("""
				print(http.get('%s/hello', { headers = { Authorization = 'Bearer sk-test-secret-key-123' } }))
				""".formatted(base))).containsExactly("nil\thttp: the request carries one of the service's API keys");
		assertThat(server.getAllServeEvents()).hasSize(before);
	}

	private static RunLimits limits(long requests, long responseBytes) {
		RunLimits base = LuaRunFixture.LIMITS;
		return new RunLimits(base.timeout(), base.maxInstructions(), base.maxMemory(), base.maxOutputBytes(),
				base.maxOutputEvents(), base.maxPending(), base.maxCoroutines(), base.maxStringSize(),
				base.maxCallDepth(), requests, responseBytes, Duration.ofSeconds(30));
	}

}
