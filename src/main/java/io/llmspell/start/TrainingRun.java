package io.llmspell.start;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import io.llmspell.spell.SpellCatalog;
import io.llmspell.web.AuthProperties;

/**
 * The training run of a class archive: once the service accepts traffic it asks itself
 * what a client and a probe ask first (health, the catalog, a few runs in each response
 * format, a problem, the metrics), then closes the context and exits, 0 when every answer
 * was as expected. A training run that only starts the context
 * ({@code -Dspring.context.exit=onRefresh}) leaves the request path's classes, loaded and
 * linked only by the first requests, out of the archive.
 */
@Component
@ConditionalOnBooleanProperty("llmspell.training-run.enabled")
public class TrainingRun implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

	private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/**
	 * How often each request is made: the Java 25 cache also keeps the methods' profiles.
	 */
	private static final int ROUNDS = 3;

	private final TrainingRunProperties properties;

	private final SpellCatalog catalog;

	private final WebClient.Builder webClient;

	private final AuthProperties auth;

	private final ApplicationAvailability availability;

	public TrainingRun(TrainingRunProperties properties, SpellCatalog catalog, WebClient.Builder webClient,
			AuthProperties auth, ApplicationAvailability availability) {
		this.properties = properties;
		this.catalog = catalog;
		this.webClient = webClient;
		this.auth = auth;
		this.availability = availability;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
		// Readiness, not ApplicationReadyEvent: health is 503 until readiness is out
		if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC
				|| !(event.getSource() instanceof WebServerApplicationContext context)) {
			return; // the command line has no server to train
		}
		int port = context.getWebServer().getPort();
		String host = context.getEnvironment().getProperty("server.address", "127.0.0.1");
		// Own thread: this event's other listeners (health's readiness) are yet to come
		Thread thread = new Thread(() -> {
			awaitReadiness();
			List<Step> steps = exercise("http://" + host + ":" + port);
			long failed = steps.stream().filter((step) -> !step.ok()).count();
			log.info("Training run: {} requests, {} not as expected; exiting", steps.size(), failed);
			System.exit(SpringApplication.exit(context, () -> (failed == 0) ? 0 : 1));
		}, "training-run");
		thread.start();
	}

	private void awaitReadiness() {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC
				&& System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Makes the training requests to the service at {@code base}; each step says what it
	 * asked, the status it got, and whether that was the expected answer.
	 */
	public List<Step> exercise(String base) {
		WebClient client = this.webClient.clone().baseUrl(base).defaultHeaders(this::authorize).build();
		List<String> spells = this.properties.spells()
			.stream()
			.filter((name) -> this.catalog.find(name).isPresent())
			.toList();
		List<Step> steps = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			steps.add(send(client, HttpMethod.GET, "/actuator/health", null, MediaType.APPLICATION_JSON,
					(body) -> body.contains("UP")));
			steps.add(send(client, HttpMethod.GET, "/spells", null, MediaType.APPLICATION_JSON, (body) -> true));
			for (String spell : spells) {
				String path = "/spells/" + spell + "/run";
				steps.add(send(client, HttpMethod.POST, path, "{}", MediaType.TEXT_EVENT_STREAM,
						(body) -> body.contains("event:done")));
				steps.add(send(client, HttpMethod.POST, path, "{}", MediaType.APPLICATION_NDJSON,
						(body) -> body.contains("\"done\"")));
				steps.add(send(client, HttpMethod.POST, path, "{}", MediaType.APPLICATION_JSON,
						(body) -> body.contains("\"status\"")));
			}
			steps.add(send(client, HttpMethod.POST, "/spells/llmspell-training-no-such-spell/run", "{}",
					MediaType.TEXT_EVENT_STREAM, (body) -> body.contains("\"status\":404")));
			steps.add(send(client, HttpMethod.GET, "/actuator/prometheus", null, MediaType.TEXT_PLAIN, (body) -> true));
		}
		return steps;
	}

	private void authorize(HttpHeaders headers) {
		this.auth.apiKeys().stream().filter((key) -> !key.isBlank()).findFirst().ifPresent(headers::setBearerAuth);
	}

	private Step send(WebClient client, HttpMethod method, String path, String body, MediaType accept,
			Predicate<String> expected) {
		String request = method + " " + path + " (" + accept + ")";
		try {
			WebClient.RequestBodySpec spec = client.method(method).uri(path).accept(accept);
			if (body != null) {
				spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
			}
			Step step = spec
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.defaultIfEmpty("")
					.map((text) -> new Step(request, response.statusCode().value(),
							!response.statusCode().is5xxServerError() && expected.test(text))))
				.block(TIMEOUT);
			if (!step.ok()) {
				log.warn("Training run: {} answered {}, not as expected", request, step.status());
			}
			return step;
		}
		catch (RuntimeException ex) {
			log.warn("Training run: {} failed: {}", request, ex.toString());
			return new Step(request, 0, false);
		}
	}

	/**
	 * One training request: what was asked, the status (0: no answer), and whether the
	 * answer was the expected one.
	 */
	public record Step(String request, int status, boolean ok) {
	}

}
