package io.llmspell;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image the {@code Dockerfile} builds: it starts, is healthy by its own HEALTHCHECK, runs as a
 * non-root user, serves spells mounted over {@code /app/spells}, streams a run with async callbacks
 * over HTTP, counts it on {@code /actuator/prometheus}, and runs the command line too. Skipped
 * where no Docker engine runs.
 * <p>
 * TODO when the {@code openai} provider is merged: start WireMock on the host (dynamic port),
 * {@code Testcontainers.exposeHostPorts(port)} before the container starts, set
 * {@code OPENAI_BASE_URL=http://host.testcontainers.internal:PORT/v1} and {@code OPENAI_API_KEY=test},
 * stub {@code POST /v1/chat/completions}, run {@code async-callbacks} and check its callbacks carry the
 * stubbed answers. Until then the built-in {@code mock} provider answers.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageTests {

	private static final Path PROJECT = Path.of("").toAbsolutePath();

	private static GenericContainer<?> app;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void buildAndStart() {
		ImageFromDockerfile image = new ImageFromDockerfile("llmspell-image-test", true)
			.withDockerfile(PROJECT.resolve("Dockerfile"));
		app = new GenericContainer<>(image).withExposedPorts(8080)
			// mounting your own spells: these replace the examples baked into the image
			.withFileSystemBind(PROJECT.resolve("src/test/resources/ops-spells").toString(), "/app/spells",
					BindMode.READ_ONLY)
			.withEnv("LLMSPELL_LLM_MOCK_LATENCY", "50ms")
			.waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
				.withStartupTimeout(Duration.ofMinutes(3)));
		app.start();
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.stop();
		}
	}

	@Test
	void runsAsNonRootAndBecomesHealthyByItsHealthcheck() throws Exception {
		ExecResult id = app.execInContainer("id", "-u");
		assertThat(id.getStdout().strip()).isEqualTo("10001");
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
			.until(() -> "healthy".equals(app.getCurrentContainerInfo().getState().getHealth().getStatus()));
	}

	@Test
	void streamsARunWithCallbacksOverHttpAndCountsIt() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/spells/callbacks/run"))
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		List<String> events = eventNames(response.body());
		assertThat(events).startsWith("start").endsWith("done");
		assertThat(events.stream().filter("callback"::equals)).hasSize(2);
		assertThat(response.body()).contains("\"status\":\"ok\"").contains("answer: Mock answer to");

		String metrics = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		assertThat(metrics).contains("llmspell_runs_seconds_count{spell=\"callbacks\",status=\"ok\"}")
			.contains("llmspell_callbacks_total{ok=\"false\",spell=\"callbacks\"}");
	}

	@Test
	void theSameImageRunsTheCommandLine() throws Exception {
		ExecResult result = app.execInContainer("java", "org.springframework.boot.loader.launch.JarLauncher", "run",
				"callbacks");

		assertThat(result.getExitCode()).as(result.getStderr()).isZero();
		assertThat(result.getStdout()).contains("answer: Mock answer to").contains("failed: ");
		assertThat(result.getStderr()).contains("done: ok");
	}

	private URI uri(String path) {
		return URI.create("http://" + app.getHost() + ":" + app.getMappedPort(8080) + path);
	}

	/** The {@code event:} names of an SSE body, in order. */
	private static List<String> eventNames(String body) {
		List<String> names = new ArrayList<>();
		body.lines().filter((line) -> line.startsWith("event:")).forEach((line) -> names.add(line.substring(6).strip()));
		return names;
	}

}
