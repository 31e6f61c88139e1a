package io.llmspell.web;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real EventSource (the {@code eventsource} npm package, driven by
 * {@code scripts/eventsource-check/check.mjs}) consumes {@code /runs/{id}/events} to
 * {@code done}. Skipped when {@code node} is missing or the package cannot be installed.
 */
class EventSourceCheckTests extends RunsServerTests {

	private static final Path SCRIPT_DIR = Path.of("scripts", "eventsource-check");

	@BeforeAll
	static void nodeAndPackage() throws Exception {
		assumeTrue(exec(List.of("node", "--version"), 10).exit() == 0, "node is not installed");
		if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/eventsource"))) {
			Result install = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", SCRIPT_DIR.toString()),
					180);
			assumeTrue(install.exit() == 0, () -> "npm ci failed: " + install.stderr());
		}
		assumeTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules/eventsource")), "eventsource is not installed");
	}

	@Test
	void eventSourceConsumesARunToDone() throws Exception {
		String runId = startRun("ticker", "count=3&delay=0.1");

		Result check = check(eventsUrl(runId), "--expect-status", "ok");

		assertThat(check.exit()).as(check.stderr()).isZero();
		Map<String, Object> summary = check.summary();
		assertThat(summary).containsEntry("ok", true)
			.containsEntry("status", "ok")
			.containsEntry("events", 5)
			.containsEntry("reconnects", 0);
		assertThat(summary.get("ids")).isEqualTo(List.of(1, 2, 3, 4, 5));
	}

	@Test
	void droppedEventSourceReconnectsByItselfWithLastEventIdAfterTheServersRetryDelay() throws Exception {
		String runId = startRun("ticker", "count=5&delay=0.2");

		Result check = check(eventsUrl(runId), "--drop-after", "2", "--expect-status", "ok");

		assertThat(check.exit()).as(check.stderr()).isZero();
		Map<String, Object> summary = check.summary();
		assertThat(summary).containsEntry("reconnects", 1).containsEntry("events", 7);
		assertThat(summary.get("ids"))
			.isEqualTo(LongStream.rangeClosed(1, 7).mapToInt((id) -> (int) id).boxed().toList());
		// retry: 300ms from the server, not the library's default of 3 s
		assertThat(((Number) summary.get("reconnectDelayMs")).longValue()).isLessThan(2500);
	}

	@Test
	void checkFailsForAnUnknownRun() throws Exception {
		Result check = check(eventsUrl("no-such-run"), "--timeout", "10");

		assertThat(check.exit()).isEqualTo(1);
		assertThat(check.summary()).containsEntry("ok", false);
		assertThat(check.summary().get("problems").toString()).contains("404");
	}

	private String eventsUrl(String runId) {
		return "http://localhost:" + port + "/runs/" + runId + "/events";
	}

	private static Result check(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("node", SCRIPT_DIR.resolve("check.mjs").toString()));
		command.addAll(List.of(args));
		return exec(command, 40);
	}

	private static Result exec(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
		File out = File.createTempFile("eventsource-check", ".out");
		File err = File.createTempFile("eventsource-check", ".err");
		try {
			Process process;
			try {
				process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
			}
			catch (IOException ex) {
				return new Result(-1, "", ex.getMessage());
			}
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Result(-1, read(out), read(err) + "\n(timed out)");
			}
			return new Result(process.exitValue(), read(out), read(err));
		}
		finally {
			Files.deleteIfExists(out.toPath());
			Files.deleteIfExists(err.toPath());
		}
	}

	private static String read(File file) throws IOException {
		return Files.readString(file.toPath(), StandardCharsets.UTF_8);
	}

	record Result(int exit, String stdout, String stderr) {

		@SuppressWarnings("unchecked")
		Map<String, Object> summary() {
			String line = stdout.strip();
			return JsonMapper.builder().build().readValue(line.substring(line.lastIndexOf('\n') + 1), Map.class);
		}

	}

}
