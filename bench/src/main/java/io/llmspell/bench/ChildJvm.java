package io.llmspell.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * A JVM the harness starts (the service, or the plain endpoint) on a loopback port: its
 * process, its health, its memory and threads (from {@code /proc/<pid>/status} and the
 * service's {@code /actuator/prometheus}), and {@code jcmd} against it.
 */
public final class ChildJvm implements AutoCloseable {

	private static final Pattern HEAP_INFO_USED = Pattern.compile("heap\\s.*?used (\\d+)K");

	private final String name;

	private final Path javaHome;

	private final Process process;

	private final int port;

	private final HttpClient http = HttpClient.create().responseTimeout(Duration.ofSeconds(30));

	private ChildJvm(String name, Path javaHome, Process process, int port) {
		this.name = name;
		this.javaHome = javaHome;
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts {@code java <jvmArgs> <mainArgs>} with {@code env} added, logging to
	 * {@code log}, and waits until {@code healthPath} answers 200.
	 */
	public static ChildJvm start(String name, Path javaHome, List<String> jvmArgs, List<String> mainArgs,
			Map<String, String> env, Path workDir, Path log, int port, String healthPath) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(javaHome.resolve("bin/java").toString());
		command.addAll(jvmArgs);
		command.addAll(mainArgs);
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(env);
		Process process = builder.start();
		ChildJvm jvm = new ChildJvm(name, javaHome, process, port);
		Runtime.getRuntime().addShutdownHook(new Thread(jvm::close));
		jvm.awaitHealthy(healthPath, Duration.ofSeconds(90), log);
		return jvm;
	}

	public String name() {
		return name;
	}

	public long pid() {
		return process.pid();
	}

	public int port() {
		return port;
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	private void awaitHealthy(String path, Duration timeout, Path log) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IOException(name + " exited with " + process.exitValue() + "; see " + log);
			}
			Integer status = http.get()
				.uri(baseUrl() + path)
				.response()
				.map((response) -> response.status().code())
				.timeout(Duration.ofSeconds(5))
				.onErrorReturn(-1) // not listening yet, or too slow to answer: ask again
				.block();
			if (status != null && status == 200) {
				return;
			}
			sleep(250);
		}
		throw new IOException(name + " not healthy within " + timeout + "; see " + log);
	}

	/**
	 * {@code VmRSS} in bytes and {@code Threads} from {@code /proc/<pid>/status}; -1 when
	 * unknown.
	 */
	public long[] procStatus() {
		long rss = -1;
		long threads = -1;
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
				else if (line.startsWith("Threads:")) {
					threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// the process is gone; report unknown
		}
		return new long[] { rss, threads };
	}

	/** The service's {@code /actuator/prometheus} text, or empty. */
	public Mono<String> prometheus() {
		return http.get()
			.uri(baseUrl() + "/actuator/prometheus")
			.responseContent()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.onErrorResume((error) -> Mono.empty());
	}

	/**
	 * Sum of the samples of {@code metric} whose labels contain {@code labelFilter}; -1
	 * if none.
	 */
	public static double metric(String prometheus, String metric, String labelFilter) {
		double sum = 0;
		boolean found = false;
		for (String line : prometheus.split("\n")) {
			if (line.startsWith(metric) && (line.length() > metric.length())
					&& (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ')
					&& (labelFilter == null || line.contains(labelFilter))) {
				String value = line.substring(line.lastIndexOf(' ') + 1);
				try {
					sum += Double.parseDouble(value);
					found = true;
				}
				catch (NumberFormatException ex) {
					// not a sample line
				}
			}
		}
		return found ? sum : -1;
	}

	/**
	 * Runs {@code jcmd <pid> <command...>} with the child's own JDK and returns its
	 * output.
	 */
	public String jcmd(String... command) throws IOException, InterruptedException {
		List<String> args = new ArrayList<>();
		args.add(javaHome.resolve("bin/jcmd").toString());
		args.add(String.valueOf(pid()));
		args.addAll(List.of(command));
		Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
		byte[] out = jcmd.getInputStream().readAllBytes();
		jcmd.waitFor(60, TimeUnit.SECONDS);
		return new String(out, StandardCharsets.UTF_8);
	}

	/**
	 * Forces a full GC, then answers the heap used after it (bytes, from
	 * {@code GC.heap_info}).
	 */
	public long heapAfterGc() throws IOException, InterruptedException {
		jcmd("GC.run");
		String info = jcmd("GC.heap_info");
		Matcher used = HEAP_INFO_USED.matcher(info);
		if (!used.find()) {
			throw new IOException("cannot read GC.heap_info: " + info);
		}
		return Long.parseLong(used.group(1)) * 1024;
	}

	/** Writes a thread dump ({@code jcmd Thread.print}) to {@code file}. */
	public void threadDump(File file) {
		try {
			Files.writeString(file.toPath(), jcmd("Thread.print"));
		}
		catch (IOException ex) {
			System.err.println("thread dump failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Peaks of RSS, OS threads, JVM live threads and heap used, sampled until disposed.
	 */
	public static final class Peaks {

		public final AtomicLong rss = new AtomicLong(-1);

		public final AtomicLong osThreads = new AtomicLong(-1);

		public final AtomicLong liveThreads = new AtomicLong(-1);

		public final AtomicLong heap = new AtomicLong(-1);

		public final AtomicLong samples = new AtomicLong();

		private Disposable sampling;

		public void stop() {
			if (sampling != null) {
				sampling.dispose();
			}
		}

	}

	/** Samples every {@code period} until the returned {@link Peaks} is stopped. */
	public Peaks samplePeaks(Duration period) {
		Peaks peaks = new Peaks();
		peaks.sampling = Flux.interval(Duration.ZERO, period).onBackpressureDrop().concatMap((tick) -> {
			long[] status = procStatus();
			peaks.rss.accumulateAndGet(status[0], Math::max);
			peaks.osThreads.accumulateAndGet(status[1], Math::max);
			return prometheus().doOnNext((text) -> {
				peaks.liveThreads.accumulateAndGet((long) metric(text, "jvm_threads_live_threads", null), Math::max);
				peaks.heap.accumulateAndGet((long) metric(text, "jvm_memory_used_bytes", "area=\"heap\""), Math::max);
				peaks.samples.incrementAndGet();
			}).onErrorResume((error) -> Mono.empty());
		}, 1).subscribe();
		return peaks;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(15, TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
