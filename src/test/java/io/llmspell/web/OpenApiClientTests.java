package io.llmspell.web;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import io.llmspell.client.ApiClient;
import io.llmspell.client.ApiException;
import io.llmspell.client.api.RunsApi;
import io.llmspell.client.api.SpellsApi;
import io.llmspell.client.model.RunAccepted;
import io.llmspell.client.model.RunRequest;
import io.llmspell.client.model.RunResult;
import io.llmspell.client.model.RunStatus;
import io.llmspell.client.model.SpellView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java client that openapi-generator makes from src/test/resources/openapi.json (in
 * the build, into target/generated-test-sources) starts runs and reads their results.
 */
class OpenApiClientTests extends ServerTests {

	@LocalServerPort
	int port;

	private ApiClient api() {
		ApiClient client = new ApiClient();
		client.updateBaseUri("http://127.0.0.1:" + port);
		client.setReadTimeout(Duration.ofSeconds(30));
		return client;
	}

	@Test
	void runsASpellAndReadsItsResult() throws ApiException {
		RunResult result = new RunsApi(api()).run("hello", null, null,
				new RunRequest().params(Map.of("name", "client")).options(Map.of()));

		assertThat(result.getStatus()).isEqualTo(RunResult.StatusEnum.OK);
		assertThat(result.getOutput()).containsExactly("Hello, client!");
		assertThat(result.getResult()).isEqualTo(Map.of("greeting", "Hello, client!", "length", 6));
		assertThat(result.getUsage().getCalls()).isZero();
	}

	@Test
	void startsARunThatOutlivesTheRequestAndReadsItsStatus() throws ApiException {
		RunsApi runs = new RunsApi(api());
		RunAccepted accepted = runs.start("typed-params", null, new RunRequest().params(Map.of("count", 3)));

		assertThat(accepted.getLocation()).isEqualTo("/runs/" + accepted.getRunId());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> runs.status(accepted.getRunId()).getState() == RunStatus.StateEnum.FINISHED);
		RunStatus status = runs.status(accepted.getRunId());
		assertThat(status.getStatus()).isEqualTo(RunStatus.StatusEnum.OK);
		assertThat(status.getResult()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("count", 3);
	}

	@Test
	void readsTheCatalogWithEachSpellsInputSchema() throws ApiException {
		SpellView spell = new SpellsApi(api()).get("typed-params");

		assertThat(spell.getInputSchema()).containsEntry("type", "object")
			.containsEntry("required", java.util.List.of("count"));
	}

	@Test
	void problemsArriveAsApiExceptionsWithTheirStatus() {
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> new RunsApi(api()).run("no-such-spell", null, null, new RunRequest()))
			.satisfies((ex) -> {
				assertThat(ex.getCode()).isEqualTo(404);
				assertThat(ex.getResponseBody()).contains("\"title\":\"Unknown spell\"");
			});
	}

}
