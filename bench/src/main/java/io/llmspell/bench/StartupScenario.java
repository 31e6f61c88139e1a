package io.llmspell.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 6, start time: from launching the service's JVM to the first 200 of
 * {@code GET /actuator/health}, and to the end of a first {@code POST /spells/hello/run}
 * (what a user or an autoscaler waits for), for Java 17 and Java 25, plain and with a
 * class archive made by a training run (AppCDS on 17, the JEP 483/514 AOT cache on 25).
 * <p>
 * Each run of the benchmark makes its own archives (they are only valid for the JDK and
 * the jar that made them): it extracts the jar ({@code -Djarmode=tools extract}), runs
 * one training launch per JDK ({@code -Dllmspell.training-run.enabled=true}, as
 * {@code scripts/aot-cache.sh}: the service serves a few requests to itself, then exits;
 * until 2026-12-02 it stopped at {@code -Dspring.context.exit=onRefresh}) and then
 * launches every variant in turn, round after round, so that a change in the machine's
 * load hits all variants alike. Besides wall time, each launch records the CPU time the
 * process had used when health first answered: on a shared machine that figure does not
 * depend on how much CPU the other processes took.
 */
final class StartupScenario {

	private static final Pattern STARTED = Pattern
		.compile("Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

	private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(240);

	private static final long CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

	private final Path serviceJar;

	private final Path java17;

	private final Path java25;

	private final Path spells;

	private final Path dir;

	private final int port;

	private final int launches;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<String[]> rows = new ArrayList<>();

	private final List<Map<String, Object>> targets = new ArrayList<>();

	/**
	 * @param options the harness's options: {@code service-jar}, {@code java-home} (Java
	 * 25), {@code java17-home} (empty: no Java 17 rows), {@code startup-spells} (default
	 * {@code spells}, which has {@code hello}), {@code startup-launches} (default 3, 1
	 * with {@code quick})
	 */
	StartupScenario(Map<String, String> options, Path results, int port) {
		boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
		this.serviceJar = Path.of(options.getOrDefault("service-jar", "target/llmspell.jar")).toAbsolutePath();
		this.java25 = Path.of(options.getOrDefault("java-home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
		String home17 = options.get("java17-home");
		this.java17 = (home17 == null || home17.isBlank()) ? null : Path.of(home17);
		this.spells = Path.of(options.getOrDefault("startup-spells", "spells")).toAbsolutePath();
		this.dir = results.resolve("startup");
		this.port = port;
		this.launches = Integer.parseInt(options.getOrDefault("startup-launches", quick ? "1" : "3"));
	}

	/** The table's rows (the harness's columns). */
	List<String[]> rows() {
		return rows;
	}

	List<Map<String, Object>> targets() {
		return targets;
	}

	/** Runs the scenario; answers its figures for the JSON report. */
	Map<String, Object> run() throws IOException, InterruptedException {
		Files.createDirectories(dir);
		Path app = dir.resolve("app");
		deleteRecursively(app);
		exec(java25,
				List.of("-Djarmode=tools", "-jar", serviceJar.toString(), "extract", "--destination", app.toString()),
				dir.resolve("extract.log"));
		Path extracted = app.resolve(serviceJar.getFileName());
		List<Variant> variants = new ArrayList<>();
		Map<String, Object> training = new LinkedHashMap<>();
		if (java17 != null) {
			Path jsa = dir.resolve("app17.jsa");
			Files.deleteIfExists(jsa);
			training.put("java17", train(java17, "-XX:ArchiveClassesAtExit=" + jsa, extracted, jsa, "train17"));
			variants.add(new Variant("java17 plain", java17, List.of(), serviceJar));
			variants.add(new Variant("java17 AppCDS", java17, List.of("-XX:SharedArchiveFile=" + jsa), extracted));
		}
		Path aot = dir.resolve("app25.aot");
		Files.deleteIfExists(aot);
		training.put("java25", train(java25, "-XX:AOTCacheOutput=" + aot, extracted, aot, "train25"));
		variants.add(new Variant("java25 plain", java25, List.of(), serviceJar));
		variants.add(new Variant("java25 AOT cache", java25, List.of("-XX:AOTCache=" + aot), extracted));

		Map<String, List<Launch>> byVariant = new LinkedHashMap<>();
		variants.forEach((variant) -> byVariant.put(variant.name(), new ArrayList<>()));
		for (int round = 1; round <= launches; round++) {
			for (Variant variant : variants) {
				Launch launch = launch(variant, round);
				log("scenario 6: %s, launch %d: health %s ms, first run %s ms, CPU %s ms, load %s%s", variant.name(),
						round, fmt(launch.healthMs()), fmt(launch.firstRunMs()), launch.cpuMsAtHealth(),
						launch.loadAverage(), (launch.failure() != null) ? "; FAILED: " + launch.failure() : "");
				byVariant.get(variant.name()).add(launch);
			}
		}

		Map<String, Object> out = new LinkedHashMap<>();
		out.put("launchesPerVariant", launches);
		out.put("spellsDir", spells.toString());
		out.put("training", training);
		Map<String, Object> figures = new LinkedHashMap<>();
		out.put("variants", figures);
		double bestFirstRun = Double.NaN;
		String best = null;
		for (Variant variant : variants) {
			List<Launch> all = byVariant.get(variant.name());
			List<Launch> ok = all.stream().filter((launch) -> launch.failure() == null).toList();
			Stats health = Stats.ofMillis(ok.stream().map(Launch::healthMs).toList());
			Stats firstRun = Stats.ofMillis(ok.stream().map(Launch::firstRunMs).toList());
			Stats cpu = Stats.ofMillis(ok.stream().map((launch) -> (double) launch.cpuMsAtHealth()).toList());
			Stats started = Stats.ofMillis(ok.stream().map(Launch::startedInMs).toList());
			Stats main = Stats.ofMillis(ok.stream().map((launch) -> launch.cpuMsOf("java")).toList());
			Stats jit = Stats.ofMillis(ok.stream().map((launch) -> launch.cpuMsOf("CompilerThre")).toList());
			int errors = all.size() - ok.size();
			Map<String, Object> figure = new LinkedHashMap<>();
			figure.put("command", variant.command());
			figure.put("toHealth", health.toMap());
			figure.put("toFirstRun", firstRun.toMap());
			figure.put("cpuMsAtHealth", cpu.toMap());
			figure.put("springStartedInMs", started.toMap());
			figure.put("errors", errors);
			figure.put("launches", all.stream().map(Launch::toMap).toList());
			figures.put(variant.name(), figure);
			String loads = all.stream().map(Launch::loadAverage).distinct().reduce((a, b) -> a + ", " + b).orElse("");
			rows.add(row(variant.name() + ": to health", health, errors,
					String.format("CPU at health %s ms (main thread %s, JIT %s); Spring \"Started in\" %s ms; load %s",
							fmt(cpu.median()), fmt(main.median()), fmt(jit.median()), fmt(started.median()), loads)));
			rows.add(row(variant.name() + ": to first run", firstRun, errors, "POST /spells/hello/run, done event"));
			if (!Double.isNaN(firstRun.median()) && (best == null || firstRun.median() < bestFirstRun)) {
				bestFirstRun = firstRun.median();
				best = variant.name();
			}
		}
		Map<String, Object> target = new LinkedHashMap<>();
		target.put("target", "6. first run answered within 2 s of launch (best variant, median)");
		target.put("goal", "<= 2000 ms");
		target.put("value", Stats.round(bestFirstRun));
		target.put("met", bestFirstRun <= 2000);
		target.put("note", best + "; load " + readFirstLine(Path.of("/proc/loadavg")));
		targets.add(target);
		return out;
	}

	private record Variant(String name, Path javaHome, List<String> jvmArgs, Path jar) {

		List<String> command() {
			List<String> command = new ArrayList<>();
			command.add(javaHome.resolve("bin/java").toString());
			command.addAll(jvmArgs);
			command.add("-jar");
			command.add(jar.toString());
			return command;
		}

	}

	private record Launch(double healthMs, double firstRunMs, long cpuMsAtHealth, Map<String, Long> cpuMsByThreadGroup,
			double startedInMs, String loadAverage, String failure) {

		/**
		 * CPU ms at health of the threads whose names contain {@code part}; the main
		 * thread is the one named "java" (the JVM does not rename it).
		 */
		double cpuMsOf(String part) {
			return cpuMsByThreadGroup.entrySet()
				.stream()
				.filter((entry) -> part.equals("java") ? entry.getKey().equals(part) : entry.getKey().contains(part))
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("healthMs", Stats.round(healthMs));
			map.put("firstRunMs", Stats.round(firstRunMs));
			map.put("cpuMsAtHealth", cpuMsAtHealth);
			map.put("cpuMsAtHealthByThreadGroup", cpuMsByThreadGroup);
			map.put("springStartedInMs", Stats.round(startedInMs));
			map.put("loadAverage", loadAverage);
			if (failure != null) {
				map.put("failure", failure);
			}
			return map;
		}

	}

	/**
	 * The training run: starts the extracted jar with {@code archiveFlag}; the service
	 * serves its training requests and exits, and the JVM writes the archive as it exits.
	 */
	private Map<String, Object> train(Path javaHome, String archiveFlag, Path jar, Path archive, String name)
			throws IOException, InterruptedException {
		log("scenario 6: training run on %s (%s)", javaHome.getFileName(), archiveFlag);
		long start = System.nanoTime();
		int exit = exec(javaHome, List.of(archiveFlag, "-Dllmspell.training-run.enabled=true", "-jar", jar.toString(),
				"--server.port=" + port), dir.resolve(name + ".log"));
		double seconds = (System.nanoTime() - start) / 1e9;
		if (exit != 0 || !Files.exists(archive)) {
			throw new IOException(name + " exited with " + exit + " and no " + archive + "; see " + name + ".log");
		}
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("flag", archiveFlag);
		out.put("seconds", Stats.round(seconds));
		out.put("archiveMiB", Math.round(Files.size(archive) / 1048576.0 * 10) / 10.0);
		log("scenario 6: %s written in %.1f s, %s MiB", archive.getFileName(), seconds, out.get("archiveMiB"));
		return out;
	}

	private Launch launch(Variant variant, int round) throws IOException, InterruptedException {
		Path log = dir.resolve(variant.name().replace(' ', '-') + "-" + round + ".log");
		List<String> command = new ArrayList<>(variant.command());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("LLMSPELL_SPELLS_DIR", spells.toString());
		builder.environment().put("LLMSPELL_PROVIDER", "mock");
		String base = "http://127.0.0.1:" + port;
		long start = System.nanoTime();
		Process process = builder.start();
		try {
			long deadline = start + LAUNCH_TIMEOUT.toNanos();
			while (status(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).GET()) != 200) {
				if (!process.isAlive()) {
					return failed("exited with " + process.exitValue() + "; see " + log);
				}
				if (System.nanoTime() > deadline) {
					return failed("not healthy within " + LAUNCH_TIMEOUT);
				}
				Thread.sleep(10);
			}
			double healthMs = (System.nanoTime() - start) / 1e6;
			long cpuMs = cpuMs(process.pid());
			Map<String, Long> threads = CpuMeter.byThreadGroup(Map.of(), CpuMeter.threadTicks(process.pid()));
			HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(base + "/spells/hello/run"))
				.header("Content-Type", "application/json")
				.header("Accept", "text/event-stream")
				.timeout(Duration.ofSeconds(60))
				.POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"name\":\"Ada\"}}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			double firstRunMs = (System.nanoTime() - start) / 1e6;
			if (run.statusCode() != 200 || !run.body().contains("event:done") || !run.body().contains("\"ok\"")) {
				return failed("first run answered " + run.statusCode() + ": " + abbreviate(run.body()));
			}
			String load = readFirstLine(Path.of("/proc/loadavg")).split(" ")[0];
			return new Launch(healthMs, firstRunMs, cpuMs, threads, startedInMs(log), load, null);
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	private static Launch failed(String why) {
		return new Launch(Double.NaN, Double.NaN, -1, Map.of(), Double.NaN, readFirstLine(Path.of("/proc/loadavg")),
				why);
	}

	private int status(HttpRequest.Builder request) throws InterruptedException {
		try {
			return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1; // not listening yet
		}
	}

	/** utime + stime of the process so far, from {@code /proc/<pid>/stat}. */
	private static long cpuMs(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_MS;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** Spring Boot's own "Started ... in X seconds" from the log, in ms. */
	private static double startedInMs(Path log) {
		try {
			Matcher matcher = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
			return matcher.find() ? Double.parseDouble(matcher.group(1)) * 1000 : Double.NaN;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
	}

	private int exec(Path javaHome, List<String> args, Path log) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(javaHome.resolve("bin/java").toString());
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("LLMSPELL_SPELLS_DIR", spells.toString());
		builder.environment().put("LLMSPELL_PROVIDER", "mock");
		Process process = builder.start();
		if (!process.waitFor(LAUNCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new IOException(command + " did not end within " + LAUNCH_TIMEOUT + "; see " + log);
		}
		return process.exitValue();
	}

	private static String[] row(String what, Stats stats, int errors, String note) {
		return new String[] { "6 startup", what, String.valueOf(stats.n()), fmt(stats.min()), fmt(stats.median()),
				fmt(stats.p99()), fmt(stats.max()), String.valueOf(errors), note };
	}

	private static String fmt(double millis) {
		return Double.isNaN(millis) ? "-" : String.format("%.0f", millis);
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	private static String readFirstLine(Path file) {
		try {
			return Files.readAllLines(file).get(0).strip();
		}
		catch (IOException | IndexOutOfBoundsException ex) {
			return "unknown";
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (Files.exists(path)) {
			try (var walk = Files.walk(path)) {
				for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.delete(each);
				}
			}
		}
	}

	private static void log(String format, Object... args) {
		System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
	}

}
