package io.llmspell.start;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.function.client.WebClient;

import io.llmspell.spell.SpellCatalog;
import io.llmspell.web.AuthProperties;
import io.llmspell.web.ServerTests;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training run's requests, made to a real server (and to one that answers nothing).
 */
class TrainingRunTests extends ServerTests {

	@LocalServerPort
	int port;

	@Autowired
	SpellCatalog catalog;

	@Autowired
	WebClient.Builder webClient;

	@Autowired
	ApplicationAvailability availability;

	private TrainingRun training(List<String> spells, List<String> apiKeys) {
		return new TrainingRun(new TrainingRunProperties(true, spells), this.catalog, this.webClient,
				new AuthProperties(apiKeys, List.of()), this.availability);
	}

	@Test
	void everyRequestGetsTheExpectedAnswerFromTheService() {
		List<TrainingRun.Step> steps = training(List.of("hello", "async-callbacks"), List.of())
			.exercise("http://127.0.0.1:" + this.port);

		assertThat(steps).allSatisfy((step) -> assertThat(step.ok()).as(step.toString()).isTrue());
		// 3 rounds of: health, catalog, 2 spells x 3 formats, a 404 problem, the metrics
		assertThat(steps).hasSize(3 * (2 + 2 * 3 + 2));
		assertThat(steps).filteredOn((step) -> step.request().contains("no-such-spell"))
			.extracting(TrainingRun.Step::status)
			.containsOnly(404);
		assertThat(steps).filteredOn((step) -> step.request().startsWith("POST /spells/hello/run"))
			.extracting(TrainingRun.Step::status)
			.containsOnly(200);
	}

	@Test
	void spellsTheCatalogLacksAreLeftOut() {
		List<TrainingRun.Step> steps = training(List.of("hello", "no-such-spell-here"), List.of())
			.exercise("http://127.0.0.1:" + this.port);

		assertThat(steps).extracting(TrainingRun.Step::request)
			.noneMatch((request) -> request.contains("no-such-spell-here"));
		assertThat(steps).hasSize(3 * (2 + 3 + 2));
	}

	@Test
	void wrongAnswersAreNotOkAndTheApiKeyIsSent() {
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		try {
			// answers 404 with no body to everything
			List<TrainingRun.Step> steps = training(List.of("hello"), List.of("", "key-one", "key-two"))
				.exercise("http://127.0.0.1:" + server.port());

			assertThat(steps).filteredOn((step) -> step.request().startsWith("GET /actuator/health"))
				.allSatisfy((step) -> assertThat(step.ok()).isFalse());
			assertThat(steps).filteredOn((step) -> step.request().contains("/spells/hello/run"))
				.allSatisfy((step) -> assertThat(step.ok()).isFalse());
			server.verify(steps.size(),
					anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer key-one")));
		}
		finally {
			server.stop();
		}
	}

	@Test
	void noAnswerIsStatusZero() {
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		int closed = server.port();
		server.stop();

		List<TrainingRun.Step> steps = training(List.of("hello"), List.of()).exercise("http://127.0.0.1:" + closed);

		assertThat(steps).isNotEmpty().allSatisfy((step) -> {
			assertThat(step.status()).isZero();
			assertThat(step.ok()).isFalse();
		});
	}

}
