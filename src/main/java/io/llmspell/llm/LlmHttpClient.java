package io.llmspell.llm;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.Context;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.DefaultUriBuilderFactory;
import org.springframework.web.util.UriBuilderFactory;

/**
 * The plumbing every HTTP provider shares: {@link WebClient}s on a connection pool of its
 * own, and the resilience around each call, innermost first:
 * <ol>
 * <li>the {@link ConcurrencyLimiter} (one slot per attempt, so a call waiting to retry
 * holds none);
 * <li>retries ({@link RetryPolicy}), for a stream only until its first chunk;
 * <li>the timeout: the whole call (queueing, retries, the whole stream) must end within
 * it;
 * <li>the metrics ({@link LlmMetrics});
 * <li>errors mapped to {@link LlmException} ({@link LlmErrors}).
 * </ol>
 * Cancelling a call cancels the HTTP exchange, which closes its connection.
 */
public final class LlmHttpClient implements AutoCloseable {

	/** For {@code bodyToFlux}: a stream of server-sent events with raw data. */
	public static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private static final int MAX_BODY = 16 * 1024 * 1024;

	private static final byte[] NO_BODY = new byte[0];

	private static final Logger log = LoggerFactory.getLogger(LlmHttpClient.class);

	/**
	 * Reactor's context key for a hook local to a sequence ({@code Hooks}'
	 * package-private {@code KEY_ON_ERROR_DROPPED}): an error that comes after its
	 * subscriber left goes there instead of Reactor's ERROR log with a stack trace.
	 */
	private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

	/**
	 * An exchange whose call was cancelled (its run's client went away, say) may still
	 * fail in the framework ("The client response body has been released already due to
	 * cancellation"): nobody waits for that answer any more, so it is no error of the
	 * service's.
	 */
	private static final Context DROPPED_AFTER_CANCEL = Context.of(ON_ERROR_DROPPED,
			(Consumer<Throwable>) (error) -> log.debug("LLM exchange failed after its call had ended: {}",
					error.toString()));

	private final String provider;

	private final LlmProperties properties;

	private final List<String> secrets;

	private final ConnectionProvider connections;

	private final WebClient jsonPosts;

	private final WebClient eventPosts;

	private final WebClient jsonGets;

	private final UriBuilderFactory uriFactory;

	private final Map<String, URI> uris = new ConcurrentHashMap<>();

	private final ConcurrencyLimiter limiter;

	private final LlmMetrics metrics;

	private final RetryPolicy retryPolicy;

	/**
	 * @param provider the provider name (metrics, messages, pool name)
	 * @param baseUrl where its API lives
	 * @param defaultHeaders headers every request carries (authentication, version)
	 * @param secrets strings never to show in a message (API keys); nulls and blanks are
	 * ignored
	 * @param builder the application's builder; cloned, not changed
	 * @param properties the shared resilience settings
	 * @param registry where the metrics go
	 */
	public LlmHttpClient(String provider, String baseUrl, Consumer<HttpHeaders> defaultHeaders, List<String> secrets,
			WebClient.Builder builder, LlmProperties properties, MeterRegistry registry) {
		this.provider = provider;
		this.properties = properties;
		this.secrets = secrets.stream().filter(StringUtils::hasText).toList();
		this.limiter = new ConcurrencyLimiter(provider, properties.maxConcurrent(), properties.maxQueued());
		this.metrics = new LlmMetrics(registry);
		// in flight and waiting, read at scrape time: nothing per call (a long task timer
		// per call would cost on every one)
		Gauge.builder("llmspell.llm.in.flight", limiter, ConcurrencyLimiter::running)
			.description("LLM calls in flight to the provider")
			.tag("provider", provider)
			.register(registry);
		Gauge.builder("llmspell.llm.queued", limiter, ConcurrencyLimiter::queued)
			.description("LLM calls waiting for a slot of the provider's max-concurrent")
			.tag("provider", provider)
			.register(registry);
		this.retryPolicy = new RetryPolicy(provider, properties, metrics);
		// The limiter already keeps requests to max-concurrent; the pool matches it, so
		// that no
		// request ever waits for a connection longer than for its slot.
		this.connections = ConnectionProvider.builder("llmspell-" + provider)
			.maxConnections(properties.maxConcurrent())
			.pendingAcquireMaxCount(Math.max(1, properties.maxQueued()))
			.pendingAcquireTimeout(properties.timeout())
			.maxIdleTime(Duration.ofSeconds(30))
			.evictInBackground(Duration.ofSeconds(30))
			.build();
		HttpHeaders fixed = new HttpHeaders();
		defaultHeaders.accept(fixed);
		HttpClient httpClient = HttpClient.create(connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Duration.ofSeconds(10).toMillis(), properties.timeout().toMillis()))
			// Netty's request starts with these; as the WebClient's default headers they
			// would be copied into a new map on every request, then again into Netty's
			.headers((netty) -> fixed.forEach(netty::set));
		this.uriFactory = new DefaultUriBuilderFactory(stripTrailingSlash(baseUrl));
		// One WebClient per kind of request, all on the one pool, each with its
		// Content-Type and Accept among Netty's fixed headers: set per request, they
		// would be two header maps per call (the request's and the builder's copy), held
		// for as long as the call waits.
		this.jsonPosts = webClient(builder, httpClient, MediaType.APPLICATION_JSON, MediaType.APPLICATION_JSON);
		this.eventPosts = webClient(builder, httpClient, MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM);
		this.jsonGets = webClient(builder, httpClient, null, MediaType.APPLICATION_JSON);
	}

	private static WebClient webClient(WebClient.Builder builder, HttpClient httpClient, MediaType contentType,
			MediaType accept) {
		HttpClient typed = httpClient.headers((netty) -> {
			if (contentType != null) {
				netty.set(HttpHeaders.CONTENT_TYPE, contentType.toString());
			}
			netty.set(HttpHeaders.ACCEPT, accept.toString());
		});
		return builder.clone()
			// LlmMetrics times every call by provider, model and outcome (retries and
			// queueing included); a second, per-attempt HTTP client observation would
			// cost CPU on every call
			.observationRegistry(ObservationRegistry.NOOP)
			.clientConnector(new ReactorClientHttpConnector(typed))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(MAX_BODY))
			.build();
	}

	/**
	 * A path's absolute URI, expanded once (as the client's base URL would expand it on
	 * every call): a provider calls the same one or two paths for ever.
	 */
	private URI absolute(String path) {
		return uris.computeIfAbsent(path, (template) -> uriFactory.expand(template));
	}

	public String provider() {
		return provider;
	}

	public ConcurrencyLimiter limiter() {
		return limiter;
	}

	/**
	 * One whole answer: {@code attempt} is subscribed once per try.
	 * @param model the model (metrics tag); {@code null} for calls that are no chat (no
	 * metrics)
	 * @param timeout the call's own timeout, or {@code null} for the configured one
	 * @param usageOf the usage an answer reports (counted as tokens), or {@code null}
	 */
	public <T> Mono<T> call(String model, Duration timeout, Mono<T> attempt, Function<T, Usage> usageOf) {
		Duration limit = effective(timeout);
		// one operator per concern, no conversion to Flux and back: this is every call.
		// The timeout has a fallback because without one Reactor names the whole chain
		// for its message at every subscription; LlmErrors writes its own message.
		Mono<T> call = retryPolicy.retrying(limiter.limit(attempt))
			.timeout(Mono.delay(limit), Mono.error(TimeoutException::new));
		if (model != null) {
			call = call.tap(() -> metrics.recorder(provider, model, usageOf, true));
		}
		return call.onErrorMap((error) -> LlmErrors.toLlmException(provider, error, limit, secrets));
	}

	/**
	 * A streamed answer: {@code attempt} is subscribed once per try, and tried again only
	 * while it has emitted nothing.
	 * @param model the model (metrics tag)
	 * @param timeout the call's own timeout, or {@code null} for the configured one
	 * @param usageOf the usage an item reports (counted as tokens), or {@code null}
	 */
	public <T> Flux<T> stream(String model, Duration timeout, Flux<T> attempt, Function<T, Usage> usageOf) {
		return Flux.defer(() -> {
			Duration limit = effective(timeout);
			long deadline = System.nanoTime() + limit.toNanos();
			AtomicBoolean started = new AtomicBoolean();
			Flux<T> call = retryPolicy
				.retrying(limiter.limit(attempt.doOnNext((item) -> started.set(true))), () -> !started.get())
				.timeout(Mono.delay(limit), (item) -> Mono.delay(remaining(deadline)),
						Flux.error(TimeoutException::new));
			return call.tap(() -> metrics.recorder(provider, model, usageOf, false))
				.onErrorMap((error) -> LlmErrors.toLlmException(provider, error, limit, secrets));
		});
	}

	/**
	 * One attempt at a JSON request: the JSON answer's body (the resilience is
	 * {@link #call}'s).
	 */
	public Mono<JsonNode> postForJson(String uri, Object body) {
		byte[] bytes;
		try {
			bytes = jsonBytes(body);
		}
		catch (JacksonException ex) {
			return Mono.error(ex);
		}
		return Mono.defer(() -> json(jsonPosts.post().uri(absolute(uri)).bodyValue(bytes).retrieve()));
	}

	/**
	 * One attempt at a streamed request: its server-sent events (the resilience is
	 * {@link #stream}'s).
	 */
	public Flux<ServerSentEvent<String>> postForEvents(String uri, Object body) {
		byte[] bytes;
		try {
			bytes = jsonBytes(body);
		}
		catch (JacksonException ex) {
			return Flux.error(ex);
		}
		return Flux.defer(() -> eventPosts.post()
			.uri(absolute(uri))
			.bodyValue(bytes)
			.retrieve()
			.bodyToFlux(SSE)
			.contextWrite(DROPPED_AFTER_CANCEL));
	}

	/** One attempt at a GET of JSON. */
	public Mono<JsonNode> getJson(String uri) {
		return Mono.defer(() -> json(jsonGets.get().uri(absolute(uri)).retrieve()));
	}

	/** A JSON answer's body, parsed from its bytes. */
	private Mono<JsonNode> json(WebClient.ResponseSpec response) {
		return response.bodyToMono(byte[].class)
			.defaultIfEmpty(NO_BODY)
			.map(this::readJson)
			.contextWrite(DROPPED_AFTER_CANCEL);
	}

	public JsonNode readJson(String body) {
		if (body == null || body.isBlank()) {
			throw LlmErrors.malformed(provider, null);
		}
		try {
			return JsonMapper.shared().readTree(body);
		}
		catch (JacksonException ex) {
			throw LlmErrors.malformed(provider, ex);
		}
	}

	/** A response body's bytes as JSON, parsed from the bytes (no String copy). */
	JsonNode readJson(byte[] body) {
		JsonNode json;
		try {
			json = JsonMapper.shared().readTree(body);
		}
		catch (JacksonException ex) {
			throw LlmErrors.malformed(provider, ex);
		}
		if (json == null || json.isMissingNode()) {
			throw LlmErrors.malformed(provider, null); // an empty or blank body
		}
		return json;
	}

	/** {@code value} (maps, lists, strings, numbers) as JSON. */
	public String writeJson(Object value) {
		return JsonMapper.shared().writeValueAsString(value);
	}

	/**
	 * A request body, written to bytes once per call, before the first attempt: retries
	 * send the same bytes, and the maps it was made of are garbage while the call waits.
	 */
	private static byte[] jsonBytes(Object value) {
		return JsonMapper.shared().writeValueAsBytes(value);
	}

	/**
	 * An error a provider found in a response (a stream's error event), made safe to
	 * show.
	 */
	public LlmException providerError(String message) {
		String safe = LlmErrors.sanitize(message, secrets);
		return new LlmException(provider, StringUtils.hasText(safe) ? safe : "error reported by provider");
	}

	private Duration effective(Duration timeout) {
		return (timeout != null && !timeout.isNegative() && !timeout.isZero()) ? timeout : properties.timeout();
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

	private static String stripTrailingSlash(String url) {
		String result = url.strip();
		while (result.endsWith("/")) {
			result = result.substring(0, result.length() - 1);
		}
		return result;
	}

	/** Closes the connection pool. */
	@Override
	public void close() {
		connections.dispose();
	}

}
