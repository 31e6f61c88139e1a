package io.llmspell;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.Testcontainers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image the {@code Dockerfile} builds: it starts, is healthy by its own HEALTHCHECK,
 * runs as a non-root user, serves spells mounted over {@code /app/spells}, streams a run
 * with async callbacks over HTTP, counts it on {@code /actuator/prometheus}, and runs the
 * command line too. Skipped where no Docker engine runs.
 * <p>
 * The LLM provider is WireMock on the host, reached from the container as an
 * OpenAI-compatible server through {@code OPENAI_BASE_URL}, as a deployment reaches a
 * real one.
 */
@org.testcontainers.junit.jupiter.Testcontainers(disabledWithoutDocker = true)
class DockerImageTests {

	private static final Path PROJECT = Path.of("").toAbsolutePath();

	private static GenericContainer<?> app;

	private static WireMockServer upstream;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void buildAndStart() throws Exception {
		upstream = new WireMockServer(wireMockConfig().dynamicPort());
		upstream.start();
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(5).willReturn(okJson("""
				{"model":"wiremock-model","choices":[{"message":{"role":"assistant","content":"stubbed answer"}}],
				 "usage":{"prompt_tokens":3,"completion_tokens":2}}""")));
		upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing("[fail]"))
			.willReturn(aResponse().withStatus(400)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"message\":\"simulated failure\"}}")));
		Testcontainers.exposeHostPorts(upstream.port());
		// your own spells, mounted over the image's: the examples plus one of the tests'
		Path spells = Files.createTempDirectory("llmspell-image-spells");
		copy(PROJECT.resolve("spells"), spells);
		copy(PROJECT.resolve("src/test/resources/ops-spells"), spells);
		ImageFromDockerfile image = new ImageFromDockerfile("llmspell-image-test", true)
			.withDockerfile(PROJECT.resolve("Dockerfile"));
		app = new GenericContainer<>(image).withExposedPorts(8080)
			// mounting your own spells: these replace the examples baked into the image
			.withFileSystemBind(spells.toString(), "/app/spells", BindMode.READ_ONLY)
			.withEnv("OPENAI_BASE_URL", "http://host.testcontainers.internal:" + upstream.port() + "/v1")
			.withEnv("OPENAI_API_KEY", "test-key")
			.waitingFor(Wait.forHttp("/actuator/health/readiness")
				.forStatusCode(200)
				.withStartupTimeout(Duration.ofMinutes(3)));
		app.start();
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.stop();
		}
		if (upstream != null) {
			upstream.stop();
		}
	}

	private static void copy(Path from, Path to) throws java.io.IOException {
		try (var files = Files.walk(from)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Path target = to.resolve(from.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target);
				}
			}
		}
	}

	@Test
	void runsAsNonRootAndBecomesHealthyByItsHealthcheck() throws Exception {
		ExecResult id = app.execInContainer("id", "-u");
		assertThat(id.getStdout().strip()).isEqualTo("10001");
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> "healthy".equals(app.getCurrentContainerInfo().getState().getHealth().getStatus()));
	}

	@Test
	void runsAsyncCallbacksAgainstTheUpstreamOverHttp() throws Exception {
		HttpResponse<String> response = runOverSse("/spells/async-callbacks/run?mode=parallel&calls=3");
		List<String> events = eventNames(response.body());
		assertThat(events.stream().filter("callback"::equals)).hasSize(3);
		assertThat(response.body()).contains("\"provider\":\"openai\"")
			.contains("stubbed answer")
			.contains("\"status\":\"ok\"");
		assertThat(upstream.getAllServeEvents()).hasSizeGreaterThanOrEqualTo(3);
	}

	@Test
	void streamsARunWithCallbacksOverHttpAndCountsIt() throws Exception {
		HttpResponse<String> response = runOverSse("/spells/callbacks/run");
		List<String> events = eventNames(response.body());
		assertThat(events.stream().filter("callback"::equals)).hasSize(2);
		assertThat(response.body()).contains("\"status\":\"ok\"").contains("answer: stubbed answer");

		String metrics = http
			.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(metrics).contains("llmspell_runs_seconds_count{spell=\"callbacks\",status=\"ok\"}")
			.contains("llmspell_callbacks_total{ok=\"false\",spell=\"callbacks\"}");
	}

	@Test
	void theSameImageRunsTheCommandLine() throws Exception {
		ExecResult result = app.execInContainer("java", "-jar", "/app/llmspell.jar", "run", "callbacks");

		assertThat(result.getExitCode()).as(result.getStderr()).isZero();
		assertThat(result.getStdout()).contains("answer: stubbed answer").contains("failed: ");
		assertThat(result.getStderr()).contains("done: ok");
	}

	/**
	 * POSTs a run, reads its SSE stream to the end, and checks it went from start to
	 * done.
	 */
	private HttpResponse<String> runOverSse(String path) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(eventNames(response.body())).startsWith("start").endsWith("done");
		return response;
	}

	private URI uri(String path) {
		return URI.create("http://" + app.getHost() + ":" + app.getMappedPort(8080) + path);
	}

	/** The {@code event:} names of an SSE body, in order. */
	private static List<String> eventNames(String body) {
		List<String> names = new ArrayList<>();
		body.lines()
			.filter((line) -> line.startsWith("event:"))
			.forEach((line) -> names.add(line.substring(6).strip()));
		return names;
	}

}
