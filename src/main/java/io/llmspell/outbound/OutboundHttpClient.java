package io.llmspell.outbound;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.netty.channel.ChannelOption;
import io.netty.resolver.AddressResolverGroup;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.NameResolverProvider;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The outbound HTTP client of spells: a {@link WebClient} of its own (own connection
 * pool, no default headers, no proxy, no automatic redirects), non-blocking from the
 * first byte to the last. Each request is checked in three places: the host against the
 * allowlist before anything happens, the address the connection will use
 * ({@link GuardedResolverGroup}), and every redirect hop like a new request. The body is
 * read as it arrives and cut, with an error, at the request's limit; it is never read
 * whole before being counted. Nothing that carries one of the service's provider API keys
 * leaves.
 * <p>
 * Metrics: {@code llmspell.http.outbound.requests} (timer; host, method, outcome = the
 * status class {@code 2xx}.. or {@code refused|too_large|timeout|error|cancelled}) and
 * {@code llmspell.http.outbound.response.bytes} (summary; host). Refused requests are
 * tagged with host {@code (refused)}: a spell could otherwise make up any number of tag
 * values.
 * <p>
 * Tracing: each request is an {@code llmspell.http.client} observation, a client span
 * that is a child of the current one (the run's, or the tool's that fetches), with the
 * OpenTelemetry HTTP client attributes {@code http.request.method},
 * {@code server.address}, {@code server.port}, {@code http.response.status_code} and
 * {@code error.type}. No trace header is sent: spells reach third parties.
 */
public final class OutboundHttpClient implements AutoCloseable {

	public static final String REQUESTS = "llmspell.http.outbound.requests";

	public static final String RESPONSE_BYTES = "llmspell.http.outbound.response.bytes";

	/** The observation of each request; its timers repeat {@link #REQUESTS}. */
	public static final String OBSERVATION = "llmspell.http.client";

	private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

	private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

	private final HostAllowlist allowlist;

	private final OutboundProperties properties;

	private final List<String> secrets;

	private final MeterRegistry registry;

	private final ObservationRegistry observations;

	private final ConnectionProvider connections;

	private final GuardedResolverGroup resolver;

	private final WebClient webClient;

	/**
	 * @param secrets strings no request may carry (the provider API keys); nulls and
	 * blanks are ignored
	 */
	public OutboundHttpClient(OutboundProperties properties, List<String> secrets, MeterRegistry registry) {
		this(properties, secrets, registry, ObservationRegistry.NOOP);
	}

	/**
	 * @param secrets strings no request may carry (the provider API keys); nulls and
	 * blanks are ignored
	 * @param observations where each request's span goes
	 */
	public OutboundHttpClient(OutboundProperties properties, List<String> secrets, MeterRegistry registry,
			ObservationRegistry observations) {
		this.observations = observations;
		this.properties = properties;
		this.allowlist = new HostAllowlist(properties.allow());
		this.secrets = secrets.stream().filter((secret) -> secret != null && secret.strip().length() >= 8).toList();
		this.registry = registry;
		this.connections = ConnectionProvider.builder("llmspell-outbound")
			.maxConnections(properties.maxConnections())
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(Duration.ofSeconds(20))
			.build();
		@SuppressWarnings("unchecked")
		AddressResolverGroup<InetSocketAddress> dns = (AddressResolverGroup<InetSocketAddress>) (AddressResolverGroup<?>) NameResolverProvider
			.builder()
			.build()
			.newNameResolverGroup(HttpResources.get(), LoopResources.DEFAULT_NATIVE);
		this.resolver = new GuardedResolverGroup(dns, this.allowlist);
		HttpClient http = HttpClient.create(this.connections)
			.resolver(this.resolver)
			.noProxy()
			.followRedirect(false)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis());
		this.webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.defaultHeader(HttpHeaders.USER_AGENT, "llmspell")
			.build();
	}

	/** Whether the operator has allowed any host at all. */
	public boolean anyHostAllowed() {
		return !this.allowlist.isEmpty();
	}

	/**
	 * Sends the request, following redirects. Fails with {@link OutboundException}
	 * (refused, too large, timed out, failed); an HTTP error status is a response, not a
	 * failure.
	 */
	public Mono<OutboundResponse> exchange(OutboundRequest request) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(this.registry);
			Observation observation = observe(request);
			String[] host = { "(refused)" };
			return Mono.defer(() -> {
				checkCarriesNoSecret(request);
				host[0] = checkAllowed(request.url());
				return hop(request, request.url(), 0);
			})
				.timeout(request.timeout())
				.onErrorMap(TimeoutException.class,
						(ex) -> new OutboundException("timeout",
								"http: no response within " + request.timeout().toMillis() + " ms from "
										+ request.url().getHost()))
				.onErrorMap((ex) -> !(ex instanceof OutboundException), (ex) -> failure(request.url(), ex))
				.doOnSuccess((response) -> {
					record(sample, host[0], request.method(), statusClass(response.status()));
					DistributionSummary.builder(RESPONSE_BYTES)
						.description("Bytes of bodies received by spells' http requests")
						.baseUnit("bytes")
						.tag("host", host[0])
						.register(this.registry)
						.record(response.body().length);
					answered(observation, response);
				})
				.doOnError((error) -> {
					String outcome = ((OutboundException) error).outcome();
					record(sample, "refused".equals(outcome) ? "(refused)" : host[0], request.method(), outcome);
					observation.highCardinalityKeyValue("error.type", outcome).error(error).stop();
				})
				.doOnCancel(() -> {
					record(sample, host[0], request.method(), "cancelled");
					observation.highCardinalityKeyValue("error.type", "cancelled").stop();
				});
		});
	}

	/**
	 * The request's client span, started; the parent is the observation current where the
	 * request is subscribed (the run's thread).
	 */
	private Observation observe(OutboundRequest request) {
		if (this.observations.isNoop()) {
			return Observation.NOOP;
		}
		// a client span, with a setter that sends nothing
		SenderContext<OutboundRequest> context = new SenderContext<>((carrier, key, value) -> {
		}, Kind.CLIENT);
		context.setCarrier(request);
		URI url = request.url();
		String host = (url.getHost() != null) ? url.getHost() : "";
		int port = (url.getPort() > 0) ? url.getPort() : ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80);
		return Observation.createNotStarted(OBSERVATION, () -> context, this.observations)
			.contextualName(request.method())
			.lowCardinalityKeyValue("http.request.method", request.method())
			.highCardinalityKeyValue("server.address", host)
			.highCardinalityKeyValue("server.port", String.valueOf(port))
			.start();
	}

	/** Statuses from 400 up are errors of a client span (OpenTelemetry's HTTP rules). */
	private static void answered(Observation observation, OutboundResponse response) {
		String status = String.valueOf(response.status());
		observation.highCardinalityKeyValue("http.response.status_code", status);
		if (response.status() >= 400) {
			observation.highCardinalityKeyValue("error.type", status)
				.error(new OutboundException(statusClass(response.status()), "http: status " + status));
		}
		observation.stop();
	}

	private Mono<OutboundResponse> hop(OutboundRequest request, URI url, int redirects) {
		HttpMethod method = HttpMethod.valueOf(request.method());
		WebClient.RequestBodySpec spec = this.webClient.method(method).uri(url).headers((headers) -> {
			boolean sameHost = url.getHost().equalsIgnoreCase(request.url().getHost());
			request.headers().forEach((name, value) -> {
				// credentials go to the host they were meant for, not to where it
				// redirects
				if (sameHost || !CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
					headers.set(name, value);
				}
			});
		});
		WebClient.RequestHeadersSpec<?> ready = (request.body() != null) ? spec.bodyValue(request.body()) : spec;
		return ready.exchangeToMono((response) -> {
			int status = response.statusCode().value();
			String location = response.headers().asHttpHeaders().getFirst(HttpHeaders.LOCATION);
			if (REDIRECTS.contains(status) && location != null) {
				return discard(response).then(Mono.defer(() -> redirect(request, url, location, status, redirects)));
			}
			return readBounded(response, request.maxResponseBytes())
				.map((body) -> new OutboundResponse(status, url, headers(response), body));
		});
	}

	private Mono<OutboundResponse> redirect(OutboundRequest request, URI from, String location, int status,
			int redirects) {
		if (redirects >= this.properties.maxRedirects()) {
			return Mono.error(OutboundException.refused("more than " + this.properties.maxRedirects() + " redirects"));
		}
		URI next;
		try {
			next = from.resolve(location);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(new OutboundException("error", "http: bad redirect location from " + from.getHost()));
		}
		checkAllowed(next);
		boolean keepMethod = status == 307 || status == 308 || "GET".equals(request.method())
				|| "HEAD".equals(request.method());
		OutboundRequest following = keepMethod ? request : new OutboundRequest("GET", request.url(), request.headers(),
				null, request.timeout(), request.maxResponseBytes());
		return hop(following, next, redirects + 1);
	}

	/** The body, read as it comes, cut with an error once it passes {@code limit}. */
	private static Mono<byte[]> readBounded(ClientResponse response, long limit) {
		long declared = response.headers().contentLength().orElse(-1);
		if (declared > limit) {
			return discard(response).then(Mono.error(tooLarge(limit)));
		}
		return response.bodyToFlux(DataBuffer.class).reduce(new ByteArrayOutputStream(), (out, buffer) -> {
			try {
				int size = buffer.readableByteCount();
				if (out.size() + (long) size > limit) {
					throw tooLarge(limit);
				}
				byte[] bytes = new byte[size];
				buffer.read(bytes);
				out.write(bytes, 0, size);
				return out;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).map(ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]);
	}

	/**
	 * Lets go of a body nobody reads, without reading it: the subscription is cancelled,
	 * which closes the connection.
	 */
	private static Mono<Void> discard(ClientResponse response) {
		return response.bodyToFlux(DataBuffer.class).doOnNext(DataBufferUtils::release).take(0).then();
	}

	private static OutboundException tooLarge(long limit) {
		return new OutboundException("too_large", "http: response larger than " + limit + " bytes (cut)");
	}

	private String checkAllowed(URI url) {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw OutboundException.refused("only http and https URLs, got '" + scheme + "'");
		}
		if (url.getHost() == null || url.getRawUserInfo() != null) {
			throw OutboundException.refused("the URL needs a host and no user info");
		}
		String host = url.getHost().toLowerCase(Locale.ROOT);
		int port = (url.getPort() > 0) ? url.getPort() : (scheme.equals("https") ? 443 : 80);
		if (this.allowlist.isEmpty()) {
			throw OutboundException
				.refused("host '" + host + "' is not allowed: no host is (the operator sets llmspell.http.allow)");
		}
		if (!this.allowlist.permitsHost(host, port)) {
			throw OutboundException.refused("host '" + host + ":" + port + "' is not allowed (llmspell.http.allow)");
		}
		return host;
	}

	private void checkCarriesNoSecret(OutboundRequest request) {
		for (String secret : this.secrets) {
			boolean inHeaders = request.headers()
				.entrySet()
				.stream()
				.anyMatch((header) -> header.getKey().contains(secret) || header.getValue().contains(secret));
			if (inHeaders || request.url().toString().contains(secret)) {
				throw OutboundException.refused("the request carries one of the service's API keys");
			}
		}
	}

	private static Map<String, List<String>> headers(ClientResponse response) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		response.headers()
			.asHttpHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		return headers;
	}

	private static OutboundException failure(URI url, Throwable error) {
		Throwable cause = error;
		while (cause != null) {
			if (cause instanceof OutboundException outbound) {
				return outbound;
			}
			cause = cause.getCause();
		}
		String what = (error instanceof WebClientRequestException) ? "request failed" : "failed";
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return new OutboundException("error",
				"http: " + what + " to " + url.getHost() + ": " + root.getClass().getSimpleName());
	}

	private void record(Timer.Sample sample, String host, String method, String outcome) {
		sample.stop(Timer.builder(REQUESTS)
			.description("Spells' outbound http requests")
			.tag("host", host)
			.tag("method", method)
			.tag("outcome", outcome)
			.register(this.registry));
	}

	private static String statusClass(int status) {
		return (status / 100) + "xx";
	}

	@Override
	public void close() {
		this.connections.dispose();
		this.resolver.close();
	}

}
