package io.llmspell.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.llmspell.bench.LoadClient.RunResult;

/**
 * The benchmark: starts the fake upstream (in this JVM), the plain WebFlux SSE endpoint
 * and the service (child JVMs, loopback ports), runs the scenarios, prints a table and
 * writes JSON.
 * <p>
 * Options ({@code --name=value}): {@code service-jar}, {@code bench-jar},
 * {@code java-home} (the JDK for the service and the plain endpoint), {@code java17-home}
 * (when set, scenario 3 runs a second time on it), {@code spells}, {@code results},
 * {@code scenarios} (e.g. {@code 1,2,5}; 6 is {@link StartupScenario}), {@code levels}
 * (scenario 3, e.g. {@code 100,500}), {@code xmx}, {@code jvm-options} (the service's JVM
 * flags file, default the image's {@code docker/jvm.options}), {@code quick} (small
 * settings, for trying the harness out), {@code port-base}.
 */
public final class Harness {

	private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

	private final Map<String, String> options;

	private final boolean quick;

	private final Path results;

	private final Map<String, Object> report = new LinkedHashMap<>();

	private final Map<String, Object> scenarios = new LinkedHashMap<>();

	private final List<Map<String, Object>> targets = new ArrayList<>();

	private final List<String[]> table = new ArrayList<>();

	private final boolean profile;

	private FakeUpstream upstream;

	private LoadClient client;

	private Harness(Map<String, String> options) {
		this.options = options;
		this.quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
		this.results = Path.of(options.getOrDefault("results", "bench/results")).toAbsolutePath();
		this.profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
	}

	/**
	 * With {@code --profile}: a JFR recording (profile settings) of {@code what}, saved
	 * in the results.
	 */
	private void jfrStart(ChildJvm jvm, String name) {
		if (profile) {
			try {
				jvm.jcmd("JFR.start", "name=" + name, "settings=profile");
			}
			catch (IOException | InterruptedException ex) {
				log("JFR.start failed: %s", ex);
			}
		}
	}

	private void jfrStop(ChildJvm jvm, String name) {
		if (profile) {
			try {
				jvm.jcmd("JFR.stop", "name=" + name, "filename=" + results.resolve(jvm.name() + "-" + name + ".jfr"));
			}
			catch (IOException | InterruptedException ex) {
				log("JFR.stop failed: %s", ex);
			}
		}
	}

	public static int run(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("options are --name=value, not " + arg);
			}
			int eq = arg.indexOf('=');
			options.put((eq < 0) ? arg.substring(2) : arg.substring(2, eq), (eq < 0) ? "true" : arg.substring(eq + 1));
		}
		return new Harness(options).run();
	}

	private int run() throws Exception {
		Files.createDirectories(results);
		List<String> wanted = Arrays.asList(options.getOrDefault("scenarios", "1,2,3,4,5,6,7").split(","));
		int portBase = Integer.parseInt(options.getOrDefault("port-base", "18900"));
		Path javaHome = Path.of(options.getOrDefault("java-home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
		long began = System.nanoTime();
		report.put("startedAt", Instant.now().toString());
		report.put("machine", machine(javaHome));
		upstream = new FakeUpstream(portBase + 1);
		report.put("settings", settings());
		client = new LoadClient(4096);
		log("fake upstream on 127.0.0.1:%d", upstream.port());
		try {
			if (wanted.contains("6")) {
				// first, while no other JVM of the harness runs
				StartupScenario startup = new StartupScenario(options, results, portBase + 6);
				guarded("6-startup", () -> {
					scenarios.put("6-startup", startup.run());
					table.addAll(startup.rows());
					targets.addAll(startup.targets());
				});
			}
			ChildJvm plain = null;
			if (wanted.contains("2")) {
				plain = startPlain(javaHome, portBase + 3);
			}
			boolean needsService = !wanted.stream().allMatch("6"::equals);
			try (ChildJvm service = needsService ? startService(javaHome, portBase + 2, "service") : null) {
				if (needsService) {
					warmUp(service);
				}
				if (wanted.contains("1")) {
					guarded("1-parallel-speedup", () -> parallelSpeedup(service));
				}
				if (wanted.contains("2")) {
					ChildJvm ceiling = plain;
					guarded("2-overhead", () -> overhead(service, ceiling));
					plain.close();
				}
				if (wanted.contains("5")) {
					guarded("5-streaming", () -> streaming(service));
				}
				if (wanted.contains("4")) {
					guarded("4-memory", () -> memory(service));
				}
				if (wanted.contains("3")) {
					guarded("3-concurrency", () -> scenarios.put("3-concurrency", concurrency(service, "java25")));
				}
			}
			finally {
				if (plain != null) {
					plain.close();
				}
			}
			String java17 = options.get("java17-home");
			if (wanted.contains("3") && java17 != null && !java17.isBlank()) {
				try (ChildJvm service = startService(Path.of(java17), portBase + 4, "service-java17")) {
					warmUp(service);
					guarded("3-concurrency-java17",
							() -> scenarios.put("3-concurrency-java17", concurrency(service, "java17")));
				}
			}
			if (wanted.contains("7")) {
				guarded("7-peer", () -> peer(javaHome));
			}
		}
		finally {
			client.close();
			upstream.close();
		}
		report.put("loadAverageAtEnd", readFirstLine(Path.of("/proc/loadavg")));
		report.put("durationSeconds", Math.round((System.nanoTime() - began) / 1e9));
		report.put("scenarios", scenarios);
		report.put("targets", targets);
		printTable();
		Path json = results.resolve("latest.json");
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Files.writeString(json, mapper.writeValueAsString(report) + "\n");
		log("figures written to %s (%d s in all)", json, Math.round((System.nanoTime() - began) / 1e9));
		return 0;
	}

	private interface Scenario {

		void run() throws Exception;

	}

	/**
	 * Runs a scenario; a failure is reported and recorded, and the next scenario still
	 * runs.
	 */
	private void guarded(String name, Scenario scenario) {
		try {
			scenario.run();
		}
		catch (Exception | AssertionError ex) {
			log("scenario %s FAILED: %s", name, ex);
			ex.printStackTrace(System.out);
			scenarios.put(name, Map.of("failed", String.valueOf(ex)));
			table.add(new String[] { name, "FAILED: " + ex, "", "", "", "", "", "", "" });
		}
	}

	// ---- processes

	private ChildJvm startService(Path javaHome, int port, String name) throws IOException {
		Path jar = Path.of(options.getOrDefault("service-jar", "target/llmspell.jar")).toAbsolutePath();
		Path spells = Path.of(options.getOrDefault("spells", "bench/spells")).toAbsolutePath();
		Map<String, String> env = serviceEnv(port, spells);
		// the GC's own log: the pauses of each window of scenario 3
		// (gc+phases: ZGC logs its pauses there); --service-jvm adds flags, e.g. a GC to
		// compare
		List<String> jvm = new ArrayList<>(jvmBase());
		jvm.add("-Xlog:gc,gc+phases:file=" + results.resolve(name + "-gc.log"));
		String extra = options.getOrDefault("service-jvm", "");
		if (!extra.isBlank()) {
			jvm.addAll(Arrays.asList(extra.strip().split("\\s+")));
		}
		log("starting %s (%s) on 127.0.0.1:%d", name, javaHome.getFileName(), port);
		ChildJvm service = ChildJvm.start(name, javaHome, jvm, List.of("-jar", jar.toString()), env, results,
				results.resolve(name + ".log"), port, "/actuator/health");
		log("%s is up, pid %d", name, service.pid());
		return service;
	}

	/**
	 * The image's JVM flags ({@code docker/jvm.options}, {@code --jvm-options=FILE}),
	 * then the harness's heap ({@code -Xmx} wins over the file's
	 * {@code MaxRAMPercentage}): the service and the plain endpoint run as the image runs
	 * them.
	 */
	private List<String> jvmBase() {
		return List.of("@" + jvmOptions(), "-Xmx" + options.getOrDefault("xmx", "2g"));
	}

	private Path jvmOptions() {
		return Path.of(options.getOrDefault("jvm-options", "docker/jvm.options")).toAbsolutePath();
	}

	/** The file's flags, for the report: its lines without comments. */
	private String jvmOptionsText() {
		try {
			return Files.readAllLines(jvmOptions())
				.stream()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.collect(Collectors.joining(" "));
		}
		catch (IOException ex) {
			return "unreadable: " + ex.getMessage();
		}
	}

	private Map<String, String> serviceEnv(int port, Path spells) {
		Map<String, String> env = new TreeMap<>();
		env.put("SERVER_PORT", String.valueOf(port));
		env.put("SERVER_ADDRESS", "127.0.0.1");
		env.put("LLMSPELL_SPELLS_DIR", spells.toString());
		env.put("LLMSPELL_PROVIDER", "openai");
		env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + upstream.port() + "/v1");
		env.put("OPENAI_API_KEY", "bench-not-a-secret");
		env.put("OPENAI_MODEL", "bench-fake");
		env.put("LLMSPELL_LIMITS_MAX_CONCURRENT_RUNS", "2500");
		env.put("LLMSPELL_LIMITS_MAX_QUEUED_RUNS", "500");
		env.put("LLMSPELL_LLM_MAX_CONCURRENT", "10000");
		env.put("LLMSPELL_LLM_MAX_QUEUED", "20000");
		return env;
	}

	private ChildJvm startPlain(Path javaHome, int port) throws IOException {
		Path jar = Path.of(options.getOrDefault("bench-jar", "bench/target/llmspell-bench.jar")).toAbsolutePath();
		List<String> jvm = jvmBase();
		log("starting the plain WebFlux SSE endpoint on 127.0.0.1:%d", port);
		return ChildJvm.start("plain", javaHome, jvm, List.of("-jar", jar.toString(), "plain", "--server.port=" + port),
				Map.of(), results, results.resolve("plain.log"), port, "/health");
	}

	/** JIT warm-up: some runs of each spell, so that scenario order matters less. */
	private void warmUp(ChildJvm service) {
		log("warming up %s", service.name());
		upstream.latency(Duration.ofMillis(20)).streaming(Duration.ofMillis(5), Duration.ofMillis(2), 10);
		batch(200, 32, (i) -> client.run(service.baseUrl() + "/spells/trivial/run", "{}", RUN_TIMEOUT));
		batch(200, 32,
				(i) -> client.run(
						service.baseUrl() + "/spells/async-callbacks/run?mode="
								+ List.of("parallel", "promise", "sequential").get(i % 3) + "&calls=5",
						"{}", RUN_TIMEOUT));
		batch(50, 8, (i) -> client.run(service.baseUrl() + "/spells/stream-one/run", "{}", RUN_TIMEOUT));
		// The JIT reaches its steady state only after minutes of fan-out at a load that
		// leaves its compiler threads some CPU (at full load they starve and the first
		// minute runs at half speed): a timed closed loop, about one core's worth.
		upstream.latency(Duration.ofMillis(200));
		Duration fanOut = Duration.ofSeconds(quick ? 3 : 60);
		log("warming up %s: %d s of fan-out runs, 60 clients", service.name(), fanOut.toSeconds());
		client
			.closedLoop(60, fanOut,
					(i) -> client.run(service.baseUrl() + "/spells/async-callbacks/run?mode=parallel&calls=5", "{}",
							RUN_TIMEOUT))
			.block();
	}

	// ---- scenario 1

	private void parallelSpeedup(ChildJvm service) {
		Duration latency = Duration.ofMillis(500);
		upstream.latency(latency);
		int calls = 5;
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("upstreamLatencyMs", latency.toMillis());
		out.put("calls", calls);
		double ideal = latency.toMillis();
		double limit = ideal * 1.05 + 20;
		out.put("idealMs", ideal);
		out.put("targetMs", limit);
		row("1 parallel speedup", "ideal (one latency)", Stats.ofMillis(List.of(ideal)), 0, "");
		CpuMeter cpu = new CpuMeter(service::pid);
		long[] mark = cpu.mark();
		for (String mode : List.of("parallel", "promise", "sequential")) {
			int n = mode.equals("sequential") ? (quick ? 2 : 5) : (quick ? 4 : 15);
			log("scenario 1: %s x%d", mode, n);
			String url = service.baseUrl() + "/spells/async-callbacks/run?mode=" + mode + "&calls=" + calls;
			batch(1, 1, (i) -> client.run(url, "{}", RUN_TIMEOUT)); // one more warm-up at
																	// this latency
			List<RunResult> runs = batch(n, 1, (i) -> client.run(url, "{}", RUN_TIMEOUT));
			Stats stats = okStats(runs);
			int errors = errors(runs);
			out.put(mode, result(stats, runs));
			row("1 parallel speedup", mode + " (" + calls + " calls)", stats, errors,
					String.format("%.2fx ideal", stats.median() / ideal));
			if (!mode.equals("sequential")) {
				target("1. " + mode + " wall time within 5% + 20 ms of one latency (median)", "<= " + limit + " ms",
						stats.median(), errors == 0 && stats.median() <= limit,
						"p99 " + Stats.round(stats.p99()) + " ms");
			}
		}
		out.put("cpu", cpu.since(mark));
		scenarios.put("1-parallel-speedup", out);
	}

	// ---- scenario 2

	private void overhead(ChildJvm service, ChildJvm plain) {
		int clients = 32;
		Duration warm = Duration.ofSeconds(quick ? 2 : 10);
		Duration window = Duration.ofSeconds(quick ? 3 : 5);
		int rounds = quick ? 1 : 4;
		String serviceUrl = service.baseUrl() + "/spells/trivial/run";
		String plainUrl = plain.baseUrl() + "/spells/trivial/run";
		String patternUrl = plain.baseUrl() + "/pattern/spells/trivial/run";
		long heapBefore = heapAfterGcOrMinusOne(service);
		log("scenario 2: warm-up, %d s each", warm.toSeconds());
		client.closedLoop(clients, warm, (i) -> client.run(plainUrl, "{}", RUN_TIMEOUT)).block();
		client.closedLoop(clients, warm, (i) -> client.run(patternUrl, "{}", RUN_TIMEOUT)).block();
		int serviceWarmRuns = client.closedLoop(clients, warm, (i) -> client.run(serviceUrl, "{}", RUN_TIMEOUT))
			.block()
			.size();
		List<RunResult> plainRuns = new ArrayList<>();
		List<RunResult> serviceRuns = new ArrayList<>();
		List<Object> plainCpu = new ArrayList<>();
		List<RunResult> patternRuns = new ArrayList<>();
		List<Object> patternCpu = new ArrayList<>();
		List<Object> serviceCpu = new ArrayList<>();
		CpuMeter plainMeter = new CpuMeter(plain::pid);
		CpuMeter serviceMeter = new CpuMeter(service::pid);
		for (int round = 1; round <= rounds; round++) {
			log("scenario 2: round %d, plain, plain with the service's streaming pattern, service; %d s each, %d clients",
					round, window.toSeconds(), clients);
			plainCpu.add(window(plainMeter, plain, () -> plainRuns
				.addAll(client.closedLoop(clients, window, (i) -> client.run(plainUrl, "{}", RUN_TIMEOUT)).block())));
			patternCpu.add(window(plainMeter, plain, () -> patternRuns
				.addAll(client.closedLoop(clients, window, (i) -> client.run(patternUrl, "{}", RUN_TIMEOUT)).block())));
			jfrStart(service, "s2-round" + round);
			serviceCpu.add(window(serviceMeter, service, () -> serviceRuns
				.addAll(client.closedLoop(clients, window, (i) -> client.run(serviceUrl, "{}", RUN_TIMEOUT)).block())));
			jfrStop(service, "s2-round" + round);
		}
		double seconds = window.toMillis() / 1000.0 * rounds;
		double plainRate = okCount(plainRuns) / seconds;
		double serviceRate = okCount(serviceRuns) / seconds;
		double ratio = serviceRate / plainRate;
		// The machine is shared: other processes take different shares of the CPU in
		// different
		// windows. Runs per CPU-second of the server process does not depend on that
		// share.
		double plainPerCpuSecond = okCount(plainRuns) / cpuSeconds(plainCpu);
		double servicePerCpuSecond = okCount(serviceRuns) / cpuSeconds(serviceCpu);
		double cpuRatio = servicePerCpuSecond / plainPerCpuSecond;
		// the same without the JIT compiler threads, which were still busy in the windows
		double plainNoJit = okCount(plainRuns) / (cpuSeconds(plainCpu) - jitSeconds(plainCpu));
		double serviceNoJit = okCount(serviceRuns) / (cpuSeconds(serviceCpu) - jitSeconds(serviceCpu));
		double patternNoJit = okCount(patternRuns) / (cpuSeconds(patternCpu) - jitSeconds(patternCpu));
		double patternRate = okCount(patternRuns) / seconds;
		double patternPerCpuSecond = okCount(patternRuns) / cpuSeconds(patternCpu);
		long heapAfter = heapAfterGcOrMinusOne(service);
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("clients", clients);
		out.put("windowSeconds", window.toSeconds());
		out.put("rounds", rounds);
		Map<String, Object> plainOut = result(okStats(plainRuns), plainRuns);
		plainOut.put("runsPerSecond", Stats.round(plainRate));
		Map<String, Object> serviceOut = result(okStats(serviceRuns), serviceRuns);
		serviceOut.put("runsPerSecond", Stats.round(serviceRate));
		plainOut.put("cpuPerWindow", plainCpu);
		serviceOut.put("cpuPerWindow", serviceCpu);
		out.put("plainWebFlux", plainOut);
		Map<String, Object> patternOut = result(okStats(patternRuns), patternRuns);
		patternOut.put("runsPerSecond", Stats.round(patternRate));
		patternOut.put("runsPerCpuSecond", Stats.round(patternPerCpuSecond));
		patternOut.put("cpuMsPerRun", Stats.round(1000 / patternPerCpuSecond));
		patternOut.put("cpuMsPerRunWithoutJit", Stats.round(1000 / patternNoJit));
		patternOut.put("cpuPerWindow", patternCpu);
		out.put("plainWithServiceStreamingPattern", patternOut);
		out.put("serviceTrivialSpell", serviceOut);
		out.put("ratio", Stats.round(ratio));
		plainOut.put("runsPerCpuSecond", Stats.round(plainPerCpuSecond));
		serviceOut.put("runsPerCpuSecond", Stats.round(servicePerCpuSecond));
		plainOut.put("cpuMsPerRun", Stats.round(1000 / plainPerCpuSecond));
		serviceOut.put("cpuMsPerRun", Stats.round(1000 / servicePerCpuSecond));
		out.put("ratioPerCpuSecond", Stats.round(cpuRatio));
		plainOut.put("cpuMsPerRunWithoutJit", Stats.round(1000 / plainNoJit));
		serviceOut.put("cpuMsPerRunWithoutJit", Stats.round(1000 / serviceNoJit));
		out.put("ratioPerCpuSecondWithoutJit", Stats.round(serviceNoJit / plainNoJit));
		// What the service's heap holds after a full GC before and after this scenario's
		// runs
		// (runs of the warm-up included); growth means finished runs are retained.
		out.put("serviceHeapAfterGcBeforeMiB", mib(heapBefore));
		out.put("serviceHeapAfterGcAfterMiB", mib(heapAfter));
		// (runs still going at a window's end are not counted: at most 32 a window)
		int between = serviceWarmRuns + serviceRuns.size();
		out.put("serviceRunsBetweenHeapSamples", between);
		out.put("heapRetainedPerFinishedRunBytes", Math.round((heapAfter - heapBefore) / (double) between));
		scenarios.put("2-overhead", out);
		row("2 overhead", "plain WebFlux SSE", okStats(plainRuns), errors(plainRuns),
				String.format("%.0f runs/s, %.0f per CPU-second; %s", plainRate, plainPerCpuSecond, cpuNote(plainCpu)));
		row("2 overhead", "plain + replay sink, other thread, heartbeats", okStats(patternRuns), errors(patternRuns),
				String.format("%.0f runs/s (%.0f%%), %.0f per CPU-second (%.0f%%); %s", patternRate,
						patternRate / plainRate * 100, patternPerCpuSecond,
						patternPerCpuSecond / plainPerCpuSecond * 100, cpuNote(patternCpu)));
		row("2 overhead", "service, trivial spell", okStats(serviceRuns), errors(serviceRuns),
				String.format("%.0f runs/s (%.0f%%), %.0f per CPU-second (%.0f%%; %.0f%% without JIT threads); %s",
						serviceRate, ratio * 100, servicePerCpuSecond, cpuRatio * 100, serviceNoJit / plainNoJit * 100,
						cpuNote(serviceCpu)));
		target("2. trivial-spell throughput >= 70% of the plain WebFlux endpoint (runs per CPU-second)", ">= 70%",
				cpuRatio * 100, cpuRatio >= 0.70 && errors(serviceRuns) == 0,
				String.format("wall-clock: %.0f vs %.0f runs/s = %.0f%% (other processes' CPU share differs by window)",
						serviceRate, plainRate, ratio * 100));
	}

	// ---- scenario 3

	private Map<String, Object> concurrency(ChildJvm service, String jvm) {
		Duration latency = Duration.ofSeconds(1);
		upstream.latency(latency);
		List<Integer> levels = Arrays
			.stream(options.getOrDefault("levels", quick ? "100,300" : "100,500,1000,2000").split(","))
			.map(String::strip)
			.map(Integer::parseInt)
			.toList();
		String url = service.baseUrl() + "/spells/async-callbacks/run?mode=parallel&calls=5";
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("jvm", jvm);
		out.put("upstreamLatencyMs", latency.toMillis());
		out.put("callsPerRun", 5);
		for (int n : levels) {
			log("scenario 3 (%s): %d concurrent runs x 5 calls, 1 s upstream", jvm, n);
			upstream.resetCounters();
			ChildJvm.Peaks peaks = service.samplePeaks(Duration.ofMillis(500));
			CpuMeter cpu = new CpuMeter(service::pid);
			long[] mark = cpu.mark();
			Map<String, long[]> threadsBefore = CpuMeter.threadTicks(service.pid());
			jfrStart(service, "s3-" + n);
			Path gcLog = results.resolve(service.name() + "-gc.log");
			int gcLinesBefore = gcLines(gcLog).size();
			long start = System.nanoTime();
			List<RunResult> runs = batch(n, n, (i) -> client.run(url, "{}", RUN_TIMEOUT));
			double makespan = (System.nanoTime() - start) / 1e6;
			jfrStop(service, "s3-" + n);
			sleep(300);
			peaks.stop();
			Stats stats = allStats(runs);
			int errors = errors(runs);
			Map<String, Object> level = result(stats, runs);
			level.put("makespanMs", Stats.round(makespan));
			level.put("upstreamRequests", upstream.requests());
			level.put("upstreamPeakInFlight", upstream.peakInFlight());
			level.put("peakRssMiB", mib(peaks.rss.get()));
			level.put("peakOsThreads", peaks.osThreads.get());
			level.put("peakJvmLiveThreads", peaks.liveThreads.get());
			level.put("peakHeapUsedMiB", mib(peaks.heap.get()));
			level.put("samples", peaks.samples.get());
			Map<String, Object> shares = cpu.since(mark);
			shares.put("serviceCpuMsByThreadGroup",
					CpuMeter.byThreadGroup(threadsBefore, CpuMeter.threadTicks(service.pid())));
			level.put("cpu", shares);
			double cpuMsPerRun = ((Number) shares.get("serviceCpuMs")).doubleValue() / n;
			level.put("serviceCpuMsPerRun", Stats.round(cpuMsPerRun));
			// the windows are seconds long and C2 still compiles in them; GC is about a
			// quarter of the CPU (docs/benchmarks.md, GC): both shown apart
			double jitMsPerRun = jitSeconds(List.of(shares)) * 1000 / n;
			double gcMsPerRun = gcSeconds(List.of(shares)) * 1000 / n;
			level.put("jitCpuMsPerRun", Stats.round(jitMsPerRun));
			level.put("gcCpuMsPerRun", Stats.round(gcMsPerRun));
			List<String> gc = gcLines(gcLog);
			List<Double> youngPauses = youngPauses(gc.subList(Math.min(gcLinesBefore, gc.size()), gc.size()));
			double maxYoung = youngPauses.stream().mapToDouble(Double::doubleValue).max().orElse(0);
			level.put("youngPauses", youngPauses.size());
			level.put("maxYoungPauseMs", Stats.round(maxYoung));
			out.put(String.valueOf(n), level);
			row("3 concurrency " + jvm, n + " runs x 5 calls", stats, errors, String.format(
					"%.1f ms CPU/run (JIT %.1f, GC %.1f); %d young pauses, max %.1f ms; upstream peak %d in flight; "
							+ "threads %d jvm/%d os; RSS %s MiB; heap %s MiB; %s",
					cpuMsPerRun, jitMsPerRun, gcMsPerRun, youngPauses.size(), maxYoung, upstream.peakInFlight(),
					peaks.liveThreads.get(), peaks.osThreads.get(), mib(peaks.rss.get()), mib(peaks.heap.get()),
					cpuNote(List.of(shares))));
			if (n == 1000 && jvm.equals("java25")) {
				target("3. CPU per fan-out run (5 calls + SSE) at 1,000 concurrent runs", "<= 0.8 ms", cpuMsPerRun,
						cpuMsPerRun <= 0.8,
						String.format(
								"the service process's CPU time in the window / runs; of it JIT %.2f ms, GC %.2f ms",
								jitMsPerRun, gcMsPerRun));
			}
			if (n == 2000 && jvm.equals("java25")) {
				target("3. no young GC pause over 20 ms at 2,000 runs", "<= 20 ms", maxYoung, maxYoung <= 20,
						youngPauses.size() + " young pauses in the window (-Xlog:gc)");
			}
			if (n == levels.get(levels.size() - 1) && jvm.equals("java25")) {
				double limit = latency.toMillis() + 1250;
				target("3. " + n + " concurrent runs: no errors, p99 within 1.25 s of the upstream's 1 s",
						"0 errors, p99 <= " + limit + " ms", stats.p99(), errors == 0 && stats.p99() <= limit,
						errors + " errors, median " + Stats.round(stats.median()) + " ms");
			}
			sleep(2000); // let the connections and the GC settle
		}
		return out;
	}

	private static List<String> gcLines(Path log) {
		try {
			return Files.exists(log) ? Files.readAllLines(log) : List.of();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/**
	 * The GC's thread groups as {@link CpuMeter#byThreadGroup} names them (digits as N,
	 * names cut at 15 characters): G1's and Parallel's "GC Thread#N", G1's "GN Conc#N",
	 * "GN Refine#N"..., ZGC's "ZWorker...", "ZDriver...".
	 */
	private static final Pattern GC_THREAD = Pattern.compile("GC Thread|GN |Z[A-Z][a-z]");

	private static final Pattern YOUNG = Pattern
		.compile("Pause (Young|Mark Start|Mark End|Relocate Start)\\b.* ([0-9.]+)ms\\s*$");

	/**
	 * The pauses of young collections in {@code -Xlog:gc} lines: G1's "Pause Young",
	 * generational ZGC's pauses (all short) from {@code gc+phases}.
	 */
	static List<Double> youngPauses(List<String> lines) {
		List<Double> pauses = new ArrayList<>();
		for (String line : lines) {
			Matcher matcher = YOUNG.matcher(line);
			if (matcher.find()) {
				pauses.add(Double.parseDouble(matcher.group(2)));
			}
		}
		return pauses;
	}

	// ---- scenario 7

	/**
	 * Fan-out against the OpenResty peer, each side on its own after the other (the
	 * harness's own service is stopped by then).
	 */
	private void peer(Path javaHome) throws IOException, InterruptedException {
		Path peerDir = Path.of(options.getOrDefault("peer", "../shared/peer")).toAbsolutePath().normalize();
		Path jar = Path.of(options.getOrDefault("service-jar", "target/llmspell.jar")).toAbsolutePath();
		Path spells = Path.of(options.getOrDefault("spells", "bench/spells")).toAbsolutePath();
		PeerScenario scenario = new PeerScenario(peerDir, jar, javaHome, spells, results, String.join(" ", jvmBase()));
		if (!scenario.available()) {
			log("scenario 7 skipped: no compare.sh in %s (--peer=DIR)", peerDir);
			scenarios.put("7-peer", Map.of("skipped", "no compare.sh in " + peerDir));
			return;
		}
		int seconds = Integer.parseInt(options.getOrDefault("peer-seconds", quick ? "5" : "20"));
		int warm = Integer.parseInt(options.getOrDefault("peer-warm", quick ? "5" : "180"));
		Map<String, Object> out = new LinkedHashMap<>();
		for (String level : options.getOrDefault("peer-levels", quick ? "200" : "1000,2000").split(",")) {
			int connections = Integer.parseInt(level.strip());
			log("scenario 7: %d connections, OpenResty then llmspell, %d s each after %d s of warm-up", connections,
					seconds, warm);
			PeerScenario.Level result = scenario.run(connections, seconds, warm);
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("openresty", result.peer().toMap());
			figures.put("llmspell", result.service().toMap());
			figures.put("ratio", Stats.round(result.ratio()));
			figures.put("serviceRssKb", result.serviceRssKb());
			double cpuMs = result.serviceCpuMsPerRun();
			figures.put("serviceCpuMsPerRun", Stats.round(cpuMs));
			figures.put("serviceCpuCores", Stats.round(result.serviceCpu().cpuSecondsPerSecond()));
			out.put(String.valueOf(connections), figures);
			PeerScenario.Side peer = result.peer();
			PeerScenario.Side service = result.service();
			table.add(new String[] { "7 fan-out vs OpenResty", "OpenResty, " + connections + " connections", "", "",
					fmt(peer.p50Ms()), fmt(peer.p99Ms()), "", String.valueOf(peer.timeouts() + peer.non2xx()),
					String.format("%.0f req/s", peer.requestsPerSecond()) });
			table.add(new String[] { "7 fan-out vs OpenResty", "llmspell, " + connections + " connections", "", "",
					fmt(service.p50Ms()), fmt(service.p99Ms()), "",
					String.valueOf(service.timeouts() + service.non2xx()),
					String.format(
							"%.0f req/s: ratio %.2f; p99 %.2fx OpenResty's; RSS %d MiB; CPU %.2f ms/run (%.2f cores)",
							service.requestsPerSecond(), result.ratio(), service.p99Ms() / peer.p99Ms(),
							result.serviceRssKb() / 1024, cpuMs, result.serviceCpu().cpuSecondsPerSecond()) });
			if (connections == 1000) {
				// the CPU target's steady state: scenario 3's window is one batch, JIT
				// included
				target("3. CPU per fan-out run (5 calls + SSE) at 1,000 concurrent runs, steady state (scenario 7)",
						"<= 0.8 ms", cpuMs, cpuMs <= 0.8,
						String.format("the service's CPU over scenario 7's measured %.0f s at 1,000 connections, "
								+ "after %d s of warm-up, / its runs", result.serviceCpu().seconds(), warm));
			}
			target("7. fan-out vs OpenResty, " + connections + " connections: req/s ratio >= 1.0, p99 no worse, "
					+ "no timeouts", ">= 1.0", result.ratio(),
					result.ratio() >= 1.0 && service.p99Ms() <= peer.p99Ms() && service.timeouts() == 0,
					String.format("llmspell %.0f req/s p99 %.0f ms, %d timeouts; OpenResty %.0f req/s p99 %.0f ms",
							service.requestsPerSecond(), service.p99Ms(), service.timeouts(), peer.requestsPerSecond(),
							peer.p99Ms()));
		}
		scenarios.put("7-peer", out);
	}

	// ---- scenario 4

	private void memory(ChildJvm service) throws IOException, InterruptedException {
		Map<String, Object> out = new LinkedHashMap<>();
		double one = memory(service, 1, out);
		double five = memory(service, 5, out);
		// two points: a run's own cost, and what each call in flight adds
		double perCall = (five - one) / 4;
		out.put("derivedPerCallKiB", Stats.round(perCall / 1024));
		out.put("derivedPerRunWithoutCallsKiB", Stats.round((one - perCall) / 1024));
		scenarios.put("4-memory", out);
		target("4. heap per run waiting on LLM calls < 64 KB (5 calls each, as in scenario 3)", "< 64 KiB", five / 1024,
				five < 64 * 1024,
				String.format("%.1f KiB with 1 call; about %.1f KiB per call in flight + %.1f KiB per run", one / 1024,
						perCall / 1024, (one - perCall) / 1024));
	}

	/** Heap per run (bytes) with {@code calls} calls each waiting on the upstream. */
	private double memory(ChildJvm service, int calls, Map<String, Object> all)
			throws IOException, InterruptedException {
		int n = quick ? 200 : 1000;
		upstream.latency(Duration.ofSeconds(40));
		log("scenario 4: heap per waiting run, %d runs x %d calls", n, calls);
		String url = service.baseUrl() + "/spells/async-callbacks/run?mode=parallel&calls=" + calls;
		Map<String, long[]> histogram0 = histogram(service);
		long heap0 = service.heapAfterGc();
		long rss0 = service.procStatus()[0];
		long threads0 = service.procStatus()[1];
		CpuMeter cpu = new CpuMeter(service::pid);
		long[] mark = cpu.mark();
		long start = System.nanoTime();
		Disposable runs = Flux.range(0, n).flatMap((i) -> client.run(url, "{}", RUN_TIMEOUT), n).subscribe();
		boolean allWaiting;
		double toWaitMs;
		long heap1;
		long rss1;
		long threads1;
		int inFlight;
		Map<String, long[]> histogram1;
		try {
			allWaiting = awaitCondition(() -> upstream.inFlight() >= n * calls, Duration.ofSeconds(30));
			toWaitMs = (System.nanoTime() - start) / 1e6;
			sleep(1000);
			heap1 = service.heapAfterGc();
			histogram1 = histogram(service);
			rss1 = service.procStatus()[0];
			threads1 = service.procStatus()[1];
			inFlight = upstream.inFlight();
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			runs.dispose();
			throw ex;
		}
		log("scenario 4: %d upstream calls waiting; heap after GC %s -> %s MiB", inFlight, mib(heap0), mib(heap1));
		// Disconnect every client: the service must cancel the runs and abort their LLM
		// calls.
		long cancelled = System.nanoTime();
		runs.dispose();
		boolean drained = awaitCondition(() -> upstream.inFlight() == 0, Duration.ofSeconds(15));
		double drainMs = (System.nanoTime() - cancelled) / 1e6;
		double perRun = (heap1 - heap0) / (double) n;
		Map<String, Object> out = new LinkedHashMap<>();
		all.put("calls" + calls, out);
		out.put("runs", n);
		out.put("callsPerRun", calls);
		out.put("allCallsWaiting", allWaiting);
		out.put("upstreamInFlightAtSample", inFlight);
		out.put("msUntilAllWaiting", Stats.round(toWaitMs));
		out.put("heapAfterGcBeforeMiB", mib(heap0));
		out.put("heapAfterGcDuringMiB", mib(heap1));
		out.put("heapPerRunKiB", Stats.round(perRun / 1024));
		out.put("rssPerRunKiB", Stats.round((rss1 - rss0) / 1024.0 / n));
		out.put("osThreadsBefore", threads0);
		out.put("osThreadsDuring", threads1);
		out.put("cancelDrainMs", drained ? Stats.round(drainMs) : null);
		out.put("cpu", cpu.since(mark));
		out.put("bytesPerRunByPackage", histogramByPackage(histogram0, histogram1, n));
		out.put("topClassesByBytesPerRun", histogramDelta(histogram0, histogram1, n, 20));
		table.add(new String[] { "4 memory", n + " runs waiting on " + calls + " calls", "", "", "", "", "",
				String.valueOf(allWaiting ? 0 : n * calls - inFlight),
				String.format("heap %.1f KiB/run, RSS %.1f KiB/run; disconnect -> upstream idle in %s", perRun / 1024,
						(rss1 - rss0) / 1024.0 / n, drained ? Math.round(drainMs) + " ms" : "NOT within 15 s") });
		upstream.latency(Duration.ofSeconds(1));
		sleep(2000);
		if (!allWaiting) {
			throw new IllegalStateException("only " + inFlight + " of " + n * calls + " calls reached the upstream");
		}
		return perRun;
	}

	/** {@code GC.class_histogram} (after a full GC): class name -> {instances, bytes}. */
	private Map<String, long[]> histogram(ChildJvm service) throws IOException, InterruptedException {
		Map<String, long[]> classes = new java.util.HashMap<>();
		Pattern line = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
		for (String text : service.jcmd("GC.class_histogram").split("\n")) {
			Matcher matcher = line.matcher(text);
			if (matcher.find()) {
				classes.put(matcher.group(3),
						new long[] { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)) });
			}
		}
		return classes;
	}

	/**
	 * Growth per run, summed by where the classes come from (arrays and JDK types under
	 * "jdk").
	 */
	private static Map<String, Long> histogramByPackage(Map<String, long[]> before, Map<String, long[]> after,
			int runs) {
		List<String> groups = List.of("org.luaj.", "io.netty.", "reactor.", "io.llmspell.", "org.springframework.",
				"io.micrometer.", "tools.jackson.", "jdk.internal.vm.");
		Map<String, Long> bytes = new TreeMap<>();
		after.forEach((name, counts) -> {
			long grown = counts[1] - before.getOrDefault(name, new long[2])[1];
			String group = groups.stream()
				.filter(name::startsWith)
				.findFirst()
				.orElse("jdk (arrays, String, collections...)");
			bytes.merge(group, grown, Long::sum);
		});
		bytes.replaceAll((group, total) -> Math.round(total / (double) runs));
		return bytes;
	}

	/** The classes that grew most, per run: bytes and instances. */
	private static List<Map<String, Object>> histogramDelta(Map<String, long[]> before, Map<String, long[]> after,
			int runs, int top) {
		List<Map<String, Object>> rows = new ArrayList<>();
		after.forEach((name, counts) -> {
			long[] was = before.getOrDefault(name, new long[2]);
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("class", name);
			row.put("bytesPerRun", Math.round((counts[1] - was[1]) / (double) runs));
			row.put("instancesPerRun", Stats.round((counts[0] - was[0]) / (double) runs));
			rows.add(row);
		});
		rows.sort((a, b) -> Long.compare((Long) b.get("bytesPerRun"), (Long) a.get("bytesPerRun")));
		return rows.subList(0, Math.min(top, rows.size()));
	}

	// ---- scenario 5

	private void streaming(ChildJvm service) {
		int chunks = 20;
		upstream.latency(Duration.ofMillis(100)).streaming(Duration.ofMillis(100), Duration.ofMillis(20), chunks);
		String url = service.baseUrl() + "/spells/stream-one/run";
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("chunksPerStream", chunks);
		out.put("chunkIntervalMs", 20);
		for (int concurrency : List.of(1, 32)) {
			int n = (concurrency == 1) ? (quick ? 3 : 15) : (quick ? 32 : 64);
			log("scenario 5: %d streams, %d at a time, %d chunks each", n, concurrency, chunks);
			CpuMeter cpu = new CpuMeter(service::pid);
			long[] mark = cpu.mark();
			List<RunResult> runs = batch(n, concurrency, (i) -> client.run(url, "{}", RUN_TIMEOUT));
			Map<String, Object> shares = cpu.since(mark);
			List<Long> latencies = runs.stream().flatMap((run) -> run.chunkLatencies.stream()).toList();
			Stats stats = Stats.ofNanos(latencies);
			int errors = errors(runs);
			int missing = n * chunks - latencies.size();
			Map<String, Object> level = stats.toMap();
			level.put("streams", n);
			level.put("errors", errors);
			level.put("missingChunks", missing);
			level.put("runWallTime", okStats(runs).toMap());
			level.put("cpu", shares);
			out.put("concurrency" + concurrency, level);
			row("5 streaming", "chunk added latency, " + concurrency + " stream" + (concurrency > 1 ? "s" : ""), stats,
					errors, n + " streams, " + latencies.size() + " chunks; " + cpuNote(List.of(shares)));
			if (concurrency == 1) {
				target("5. added latency upstream chunk -> client chunk event < 2 ms (median, one stream)", "< 2 ms",
						stats.median(), errors == 0 && missing == 0 && stats.median() < 2,
						"p99 " + Stats.round(stats.p99()) + " ms");
			}
		}
		scenarios.put("5-streaming", out);
	}

	// ---- helpers

	private List<RunResult> batch(int n, int concurrency, Function<Integer, Mono<RunResult>> oneRun) {
		return Flux.range(0, n).flatMap(oneRun::apply, concurrency).collectList().block();
	}

	/**
	 * Runs {@code load}; answers the CPU shares meanwhile, with the server's CPU by
	 * thread group.
	 */
	private static Map<String, Object> window(CpuMeter meter, ChildJvm server, Runnable load) {
		long[] mark = meter.mark();
		Map<String, long[]> threads = CpuMeter.threadTicks(server.pid());
		load.run();
		Map<String, Object> shares = meter.since(mark);
		shares.put("serviceCpuMsByThreadGroup", CpuMeter.byThreadGroup(threads, CpuMeter.threadTicks(server.pid())));
		return shares;
	}

	/**
	 * CPU seconds of the JIT compiler threads ("C1/C2 CompilerThread") in the windows.
	 */
	private static double jitSeconds(List<Object> windows) {
		return threadGroupSeconds(windows, (group) -> group.contains("CompilerThre"));
	}

	/**
	 * CPU seconds of the GC's threads ({@link #GC_THREAD}) in the windows.
	 */
	private static double gcSeconds(List<Object> windows) {
		return threadGroupSeconds(windows, (group) -> GC_THREAD.matcher(group).lookingAt());
	}

	/** CPU seconds of the thread groups that {@code wanted} picks, in the windows. */
	private static double threadGroupSeconds(List<Object> windows, Predicate<String> wanted) {
		return windows.stream()
			.map((window) -> (Map<?, ?>) ((Map<?, ?>) window).get("serviceCpuMsByThreadGroup"))
			.flatMap((groups) -> groups.entrySet().stream())
			.filter((entry) -> wanted.test(String.valueOf(entry.getKey())))
			.mapToDouble((entry) -> ((Number) entry.getValue()).doubleValue() / 1000)
			.sum();
	}

	private static double cpuSeconds(List<Object> windows) {
		return windows.stream()
			.mapToDouble((window) -> ((Number) ((Map<?, ?>) window).get("serviceCpuMs")).doubleValue() / 1000)
			.sum();
	}

	private static long heapAfterGcOrMinusOne(ChildJvm jvm) {
		try {
			return jvm.heapAfterGc();
		}
		catch (IOException | InterruptedException ex) {
			return -1;
		}
	}

	/**
	 * "other processes N% of the machine" (the mean over windows): how noisy the
	 * measurement was.
	 */
	private static String cpuNote(List<Object> windows) {
		double others = windows.stream()
			.mapToDouble((window) -> ((Number) ((Map<?, ?>) window).get("otherProcessesPct")).doubleValue())
			.average()
			.orElse(Double.NaN);
		return String.format("others used %.0f%% of the CPU", others);
	}

	private static Stats okStats(List<RunResult> runs) {
		return Stats.ofMillis(runs.stream().filter((run) -> run.failure() == null).map(RunResult::millis).toList());
	}

	private static Stats allStats(List<RunResult> runs) {
		return Stats.ofMillis(runs.stream().map(RunResult::millis).toList());
	}

	private static int errors(List<RunResult> runs) {
		return (int) runs.stream().filter((run) -> run.failure() != null).count();
	}

	private static long okCount(List<RunResult> runs) {
		return runs.size() - errors(runs);
	}

	private static Map<String, Object> result(Stats stats, List<RunResult> runs) {
		Map<String, Object> out = stats.toMap();
		out.put("runs", runs.size());
		out.put("errors", errors(runs));
		Map<String, Long> kinds = runs.stream()
			.map(RunResult::failure)
			.filter((failure) -> failure != null)
			.collect(Collectors.groupingBy((failure) -> failure.length() > 120 ? failure.substring(0, 120) : failure,
					TreeMap::new, Collectors.counting()));
		if (!kinds.isEmpty()) {
			out.put("errorKinds", kinds);
		}
		return out;
	}

	private void row(String scenario, String what, Stats stats, int errors, String note) {
		table.add(new String[] { scenario, what, String.valueOf(stats.n()), fmt(stats.min()), fmt(stats.median()),
				fmt(stats.p99()), fmt(stats.max()), String.valueOf(errors), note });
	}

	private void target(String name, String goal, double value, boolean met, String note) {
		Map<String, Object> target = new LinkedHashMap<>();
		target.put("target", name);
		target.put("goal", goal);
		target.put("value", Stats.round(value));
		target.put("met", met);
		target.put("note", note);
		targets.add(target);
	}

	private void printTable() {
		String[] header = { "scenario", "case", "n", "min ms", "median ms", "p99 ms", "max ms", "errors", "notes" };
		List<String[]> all = new ArrayList<>();
		all.add(header);
		all.addAll(table);
		int[] widths = new int[header.length];
		for (String[] row : all) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		StringBuilder out = new StringBuilder("\n");
		for (int r = 0; r < all.size(); r++) {
			out.append('|');
			for (int i = 0; i < header.length; i++) {
				String cell = all.get(r)[i];
				boolean number = i >= 2 && i <= 7;
				out.append(' ').append(number ? pad(cell, widths[i], true) : pad(cell, widths[i], false)).append(" |");
			}
			out.append('\n');
			if (r == 0) {
				out.append('|');
				for (int width : widths) {
					out.append("-".repeat(width + 2)).append('|');
				}
				out.append('\n');
			}
		}
		out.append("\n| target | goal | value | met | note |\n|---|---|---|---|---|\n");
		for (Map<String, Object> target : targets) {
			out.append("| ")
				.append(target.get("target"))
				.append(" | ")
				.append(target.get("goal"))
				.append(" | ")
				.append(target.get("value"))
				.append(" | ")
				.append(Boolean.TRUE.equals(target.get("met")) ? "yes" : "**NO**")
				.append(" | ")
				.append(target.get("note"))
				.append(" |\n");
		}
		System.out.println(out);
	}

	private static String pad(String text, int width, boolean right) {
		String spaces = " ".repeat(Math.max(0, width - text.length()));
		return right ? spaces + text : text + spaces;
	}

	private static String fmt(double millis) {
		return Double.isNaN(millis) ? "-" : String.format("%.1f", millis);
	}

	private static Object mib(long bytes) {
		return (bytes < 0) ? null : Math.round(bytes / 1048576.0 * 10) / 10.0;
	}

	private Map<String, Object> machine(Path javaHome) {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("nproc", Runtime.getRuntime().availableProcessors());
		machine.put("memTotal", grep(Path.of("/proc/meminfo"), "MemTotal:"));
		machine.put("cpu", grep(Path.of("/proc/cpuinfo"), "model name"));
		machine.put("loadAverageAtStart", readFirstLine(Path.of("/proc/loadavg")));
		machine.put("serviceJava", javaVersion(javaHome));
		machine.put("harnessJava",
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		String java17 = options.get("java17-home");
		if (java17 != null && !java17.isBlank()) {
			machine.put("serviceJava17", javaVersion(Path.of(java17)));
		}
		return machine;
	}

	private Map<String, Object> settings() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("quick", quick);
		settings.put("serviceJvmArgs",
				(String.join(" ", jvmBase()) + " " + options.getOrDefault("service-jvm", "")).strip());
		settings.put("jvmOptionsFile", jvmOptionsText());
		Map<String, String> env = new TreeMap<>(serviceEnv(0, Path.of(options.getOrDefault("spells", "bench/spells"))));
		env.remove("SERVER_PORT");
		env.remove("OPENAI_BASE_URL");
		env.remove("LLMSPELL_SPELLS_DIR");
		settings.put("serviceEnv", env);
		return settings;
	}

	private static String javaVersion(Path javaHome) {
		try {
			Process process = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-version")
				.redirectErrorStream(true)
				.start();
			String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return text.strip().replace('\n', ';');
		}
		catch (IOException ex) {
			return "unknown: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	private static String grep(Path file, String prefix) {
		try {
			return Files.readAllLines(file)
				.stream()
				.filter((line) -> line.startsWith(prefix))
				.findFirst()
				.map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String readFirstLine(Path file) {
		try {
			return Files.readAllLines(file).get(0).strip();
		}
		catch (IOException | IndexOutOfBoundsException ex) {
			return "unknown";
		}
	}

	private static boolean awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return true;
			}
			sleep(20);
		}
		return condition.getAsBoolean();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void log(String format, Object... args) {
		System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
	}

}
