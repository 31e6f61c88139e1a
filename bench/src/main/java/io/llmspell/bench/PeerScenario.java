package io.llmspell.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 7: fan-out against the OpenResty peer ({@code ../shared/peer/compare.sh}). For
 * each number of connections, the peer's script runs wrk (closed loop) first against
 * OpenResty's own fan-out (5 parallel calls to a 1 s nginx upstream, SSE back), then
 * against a fresh service on the same upstream (after its warm-up at full load), and this
 * parses both wrk reports. The ratio of the two is the figure; absolute figures depend on
 * the machine.
 */
final class PeerScenario {

	private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

	private static final Pattern P99 = Pattern.compile("^\\s+99%\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);

	private static final Pattern P50 = Pattern.compile("^\\s+50%\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);

	private static final Pattern TIMEOUTS = Pattern.compile("timeout (\\d+)");

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern RSS = Pattern.compile("service RSS \\(KB\\): (\\d+)");

	/** One side's wrk figures. */
	record Side(double requestsPerSecond, double p50Ms, double p99Ms, long timeouts, long non2xx) {

		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("requestsPerSecond", Stats.round(requestsPerSecond));
			map.put("p50Ms", Stats.round(p50Ms));
			map.put("p99Ms", Stats.round(p99Ms));
			map.put("timeouts", timeouts);
			map.put("non2xx", non2xx);
			return map;
		}

	}

	/** Both sides at one number of connections. */
	record Level(int connections, Side peer, Side service, long serviceRssKb, MeasuredWindow.Figures serviceCpu,
			String output) {

		/** The service's CPU per run in its measured window, in ms. */
		double serviceCpuMsPerRun() {
			return serviceCpu.cpuMsPerRun(service.requestsPerSecond());
		}

		double ratio() {
			return (peer.requestsPerSecond() > 0) ? service.requestsPerSecond() / peer.requestsPerSecond() : 0;
		}

	}

	private final Path peerDir;

	private final Path serviceJar;

	private final Path javaHome;

	private final Path spells;

	private final Path results;

	private final String jvmFlags;

	PeerScenario(Path peerDir, Path serviceJar, Path javaHome, Path spells, Path results, String jvmFlags) {
		this.peerDir = peerDir;
		this.serviceJar = serviceJar;
		this.javaHome = javaHome;
		this.spells = spells;
		this.results = results;
		this.jvmFlags = jvmFlags;
	}

	boolean available() {
		return Files.isExecutable(peerDir.resolve("compare.sh")) || Files.isRegularFile(peerDir.resolve("compare.sh"));
	}

	/**
	 * Runs the comparison at {@code connections}: {@code seconds} measured on each side,
	 * after {@code warmSeconds} of warm-up of the service at the same load.
	 */
	Level run(int connections, int seconds, int warmSeconds) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("bash", peerDir.resolve("compare.sh").toString(),
				serviceJar.toString(), String.valueOf(connections), String.valueOf(seconds), "1.0",
				// as the peer's README says: limits raised so that admission does not cap
				// the load
				"--llmspell.limits.max-concurrent-runs=2500", "--llmspell.limits.max-queued-runs=500",
				"--llmspell.llm.max-concurrent=10000", "--llmspell.llm.max-queued=20000"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("PATH", javaHome.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
		env.put("LLMSPELL_SPELLS_DIR", spells.toString());
		env.put("WARM", String.valueOf(warmSeconds));
		env.put("JAVA_OPTS", jvmFlags + " --enable-native-access=ALL-UNNAMED");
		Process process = builder.start();
		MeasuredWindow window = new MeasuredWindow(process, serviceJar.toString());
		Thread watcher = new Thread(window, "scenario-7-cpu");
		watcher.setDaemon(true);
		watcher.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
		}
		watcher.join(TimeUnit.SECONDS.toMillis(5));
		Files.writeString(results.resolve("peer-" + connections + ".txt"), output);
		int split = output.indexOf("== llmspell");
		if (split < 0) {
			throw new IllegalStateException("compare.sh printed no llmspell section:\n" + output);
		}
		Side peer = side(output.substring(0, split));
		Side service = side(output.substring(split));
		Matcher rss = RSS.matcher(output);
		return new Level(connections, peer, service, rss.find() ? Long.parseLong(rss.group(1)) : -1, window.figures(),
				output);
	}

	private static Side side(String text) {
		Matcher rate = RATE.matcher(text);
		Matcher timeouts = TIMEOUTS.matcher(text);
		Matcher non2xx = NON_2XX.matcher(text);
		return new Side(rate.find() ? Double.parseDouble(rate.group(1)) : 0, millis(P50, text), millis(P99, text),
				timeouts.find() ? Long.parseLong(timeouts.group(1)) : 0,
				non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
	}

	private static double millis(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		if (!matcher.find()) {
			return Double.NaN;
		}
		double value = Double.parseDouble(matcher.group(1));
		return switch (matcher.group(2)) {
			case "us" -> value / 1000;
			case "ms" -> value;
			case "s" -> value * 1000;
			default -> value * 60_000;
		};
	}

}
