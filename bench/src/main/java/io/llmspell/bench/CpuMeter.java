package io.llmspell.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How the machine's CPU was shared during a measurement, from {@code /proc/stat} and
 * {@code /proc/<pid>/stat}: busy in all, by the service, by this harness (load client and
 * fake upstream), and by everything else on the machine (other people's builds and
 * tests), each as a percentage of the whole machine (all cores = 100%).
 */
public final class CpuMeter {

	/** Jiffies per second in /proc (USER_HZ; 100 on Linux). */
	static final double USER_HZ = 100;

	private final long harnessPid = ProcessHandle.current().pid();

	private final LongSupplier servicePid;

	public CpuMeter(LongSupplier servicePid) {
		this.servicePid = servicePid;
	}

	/** A reading to measure from. */
	public long[] mark() {
		long[] machine = machine();
		return new long[] { machine[0], machine[1], ticks(servicePid.getAsLong()), ticks(harnessPid) };
	}

	/** The shares since {@code mark}, in percent of the machine. */
	public Map<String, Object> since(long[] mark) {
		long[] now = mark();
		double total = Math.max(1, now[0] - mark[0]);
		double busy = (now[0] - mark[0]) - (now[1] - mark[1]);
		double service = now[2] - mark[2];
		double harness = now[3] - mark[3];
		Map<String, Object> shares = new LinkedHashMap<>();
		shares.put("machineBusyPct", Stats.round(100 * busy / total));
		shares.put("servicePct", Stats.round(100 * service / total));
		shares.put("harnessPct", Stats.round(100 * harness / total));
		shares.put("otherProcessesPct", Stats.round(Math.max(0, 100 * (busy - service - harness) / total)));
		shares.put("serviceCpuMs", Math.round(service * 1000 / USER_HZ));
		return shares;
	}

	/** CPU ticks of each of a process's threads, by thread id, with the thread's name. */
	public static Map<String, long[]> threadTicks(long pid) {
		Map<String, long[]> ticks = new java.util.HashMap<>();
		try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
			tasks.forEach((task) -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks.put(task.getFileName() + " " + name,
							new long[] { Long.parseLong(fields[11]) + Long.parseLong(fields[12]) });
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended
				}
			});
		}
		catch (IOException ex) {
			// the process ended
		}
		return ticks;
	}

	/**
	 * CPU milliseconds by thread group (digits in thread names folded:
	 * {@code reactor-http-epoll-N}, {@code ForkJoinPool-N-worker-N} = the carriers of
	 * virtual threads, {@code GC Thread#N}...), between two {@link #threadTicks}
	 * readings, largest first.
	 */
	public static Map<String, Long> byThreadGroup(Map<String, long[]> before, Map<String, long[]> after) {
		Map<String, Long> groups = new java.util.HashMap<>();
		after.forEach((thread, ticks) -> {
			long grown = ticks[0] - before.getOrDefault(thread, new long[1])[0];
			String group = thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+", "N");
			groups.merge(group, Math.round(grown * 1000 / USER_HZ), Long::sum);
		});
		Map<String, Long> sorted = new LinkedHashMap<>();
		groups.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 0)
			.sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
			.forEach((entry) -> sorted.put(entry.getKey(), entry.getValue()));
		return sorted;
	}

	/** Total and idle (idle + iowait) jiffies of all cores. */
	private static long[] machine() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < fields.length && i <= 8; i++) { // user..steal; guest is
																// inside user
				total += Long.parseLong(fields[i]);
			}
			return new long[] { total, Long.parseLong(fields[4]) + Long.parseLong(fields[5]) };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { 0, 0 };
		}
	}

	/** utime + stime of a process, in jiffies; 0 when it is gone. */
	static long ticks(long pid) {
		if (pid <= 0) {
			return 0;
		}
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
