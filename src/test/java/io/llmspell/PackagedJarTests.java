package io.llmspell;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar that {@code package} builds, started the way a newcomer starts it
 * ({@code java -jar target/llmspell.jar}, embedded defaults): it must come up and serve
 * with only the classpath it ships. The other tests run on Maven's test classpath, which
 * can hide a dependency the jar lacks (it once lacked Jackson 2, which springdoc needs at
 * start). Run by failsafe after {@code package}.
 */
class PackagedJarTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	static Path work;

	private static Process service;

	private static Path log;

	private static String base;

	@BeforeAll
	static void start() throws Exception {
		Path jar = Path.of(System.getProperty("llmspell.jar", "target/llmspell.jar"));
		assertThat(jar).as("the packaged jar").exists();
		int port = freePort();
		base = "http://127.0.0.1:" + port;
		log = work.resolve("service.log");
		ProcessBuilder builder = new ProcessBuilder(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
						jar.toAbsolutePath().toString(), "--server.port=" + port, "--server.address=127.0.0.1",
						"--llmspell.spells.dir=" + Path.of("spells").toAbsolutePath(),
						"--llmspell.storage.data-dir=" + work.resolve("data")))
			.directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment()
			.keySet()
			.removeIf((name) -> name.startsWith("LLMSPELL_") || name.startsWith("OPENAI_")
					|| name.startsWith("ANTHROPIC_"));
		service = builder.start();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(service.isAlive()).as("the service is running; its log:%n%s", logText()).isTrue();
			try {
				return get("/actuator/health").statusCode() == 200;
			}
			catch (IOException notYet) {
				return false; // not listening yet
			}
		});
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (service != null) {
			service.destroy();
			if (!service.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
				service.destroyForcibly();
			}
		}
	}

	@Test
	void servesTheCatalogAndRunsASpellWithTheMockProvider() throws Exception {
		HttpResponse<String> spells = get("/spells");
		assertThat(spells.statusCode()).isEqualTo(200);
		assertThat(spells.body()).contains("\"hello\"").contains("\"async-callbacks\"");

		HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(base + "/spells/hello/run"))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"name\":\"jar\"}}"))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(run.statusCode()).isEqualTo(200);
		assertThat(run.body()).contains("event:output").contains("jar").contains("\"status\":\"ok\"");
	}

	@Test
	void servesTheOpenApiDescriptionAndThePlayground() throws Exception {
		HttpResponse<String> docs = get("/v3/api-docs");
		assertThat(docs.statusCode()).isEqualTo(200);
		assertThat(docs.body()).contains("\"openapi\"").contains("/spells/{name}/run");
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).containsIgnoringCase("<html");
	}

	private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String logText() {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
