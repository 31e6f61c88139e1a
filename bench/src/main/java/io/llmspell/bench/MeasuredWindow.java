package io.llmspell.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The service's CPU while {@code compare.sh} measures it: the script starts the service
 * and runs wrk against it twice (warm-up, then the measured run with {@code --latency}),
 * so this watches the script's child processes and reads the service's CPU time when the
 * measured wrk starts and when it ends. The figure is then the steady state after the
 * warm-up, the JIT's late work included, the harness's own CPU excluded.
 */
final class MeasuredWindow implements Runnable {

	private static final long POLL_MILLIS = 20;

	/** The service's CPU over the window, per second of it; {@code NaN} if not seen. */
	record Figures(double cpuSecondsPerSecond, double seconds) {

		static final Figures NONE = new Figures(Double.NaN, Double.NaN);

		/** CPU per run at {@code requestsPerSecond}, in milliseconds. */
		double cpuMsPerRun(double requestsPerSecond) {
			return (requestsPerSecond > 0) ? cpuSecondsPerSecond * 1000 / requestsPerSecond : Double.NaN;
		}

	}

	private final ProcessHandle script;

	private final String serviceJar;

	private volatile Figures figures = Figures.NONE;

	MeasuredWindow(Process script, String serviceJar) {
		this.script = script.toHandle();
		this.serviceJar = serviceJar;
	}

	Figures figures() {
		return figures;
	}

	@Override
	public void run() {
		try {
			ProcessHandle wrk = await(this::measuredWrk);
			ProcessHandle service = (wrk != null) ? find(this::isService).orElse(null) : null;
			if (service == null) {
				return;
			}
			long startNanos = System.nanoTime();
			long startTicks = CpuMeter.ticks(service.pid());
			while (wrk.isAlive()) {
				TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
			}
			long ticks = CpuMeter.ticks(service.pid()) - startTicks;
			double seconds = (System.nanoTime() - startNanos) / 1e9;
			if (ticks > 0 && seconds > 0) {
				figures = new Figures(ticks / CpuMeter.USER_HZ / seconds, seconds);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private ProcessHandle await(Predicate<ProcessHandle> wanted) throws InterruptedException {
		while (script.isAlive()) {
			Optional<ProcessHandle> found = find(wanted);
			if (found.isPresent()) {
				return found.get();
			}
			TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
		}
		return null;
	}

	private Optional<ProcessHandle> find(Predicate<ProcessHandle> wanted) {
		return script.descendants().filter(wanted).findFirst();
	}

	/** wrk's measured run against the service: the one with {@code --latency}. */
	private boolean measuredWrk(ProcessHandle process) {
		List<String> args = arguments(process);
		return command(process).endsWith("/wrk") && args.contains("--latency")
				&& args.stream().anyMatch((arg) -> arg.contains("/spells/"));
	}

	private boolean isService(ProcessHandle process) {
		return command(process).endsWith("/java") && arguments(process).contains(serviceJar);
	}

	private static String command(ProcessHandle process) {
		return process.info().command().orElse("");
	}

	private static List<String> arguments(ProcessHandle process) {
		return process.info().arguments().map(Arrays::asList).orElse(List.of());
	}

}
