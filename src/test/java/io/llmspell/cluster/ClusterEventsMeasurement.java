package io.llmspell.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.codec.ServerSentEvent;

/**
 * The benchmark row of docs/benchmarks.md for the cluster: two instances on one local
 * redis-server, a run on A watched on A (its own memory) and on B (through Redis). Prints
 * events per second as B receives a burst, and the latency B adds to each event of a
 * paced run (B's arrival minus A's). Not a test: run it by hand (docs/benchmarks.md).
 */
public final class ClusterEventsMeasurement {

	private ClusterEventsMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		ClusterTests.redis = RedisServer.start();
		ConfigurableApplicationContext a = ClusterTests.instance("a", "--logging.level.root=warn");
		ConfigurableApplicationContext b = ClusterTests.instance("b", "--logging.level.root=warn");
		try {
			for (int round = 0; round < 2; round++) {
				// the first round warms up the JIT
				burst(a, b, 5000, round == 1);
				paced(a, b, 300, round == 1);
			}
		}
		finally {
			b.close();
			a.close();
			ClusterTests.redis.close();
		}
	}

	private static void burst(ConfigurableApplicationContext a, ConfigurableApplicationContext b, int count,
			boolean print) {
		String runId = ClusterTests.startTicker(a, count, 0);
		long start = System.nanoTime();
		List<ServerSentEvent<Map<String, Object>>> onB = ClusterTests.watch(b, runId, null)
			.collectList()
			.block(Duration.ofMinutes(2));
		double seconds = (System.nanoTime() - start) / 1e9;
		ServerSentEvent<Map<String, Object>> last = onB.get(onB.size() - 1);
		long gaps = 0;
		for (int i = 1; i < onB.size(); i++) {
			if (Long.parseLong(onB.get(i).id()) != Long.parseLong(onB.get(i - 1).id()) + 1) {
				gaps++;
			}
		}
		System.out.printf("burst: last event %s %s (id %s), %d gaps%n", last.event(), last.data(), last.id(), gaps);
		if (print) {
			System.out.printf("burst: %d events read on B through Redis in %.2f s: %.0f events/s%n", onB.size(),
					seconds, onB.size() / seconds);
		}
	}

	private static void paced(ConfigurableApplicationContext a, ConfigurableApplicationContext b, int count,
			boolean print) {
		String runId = ClusterTests.startTicker(a, count, 0.01);
		Map<String, Long> atA = new ConcurrentHashMap<>();
		Map<String, Long> atB = new ConcurrentHashMap<>();
		Mono<Void> watchA = ClusterTests.watch(a, runId, null)
			.doOnNext((event) -> atA.put(event.id(), System.nanoTime()))
			.then();
		Mono<Void> watchB = ClusterTests.watch(b, runId, null)
			.doOnNext((event) -> atB.put(event.id(), System.nanoTime()))
			.then();
		Flux.merge(watchA, watchB).blockLast(Duration.ofMinutes(2));
		List<Double> added = new ArrayList<>();
		// from the tenth event on: both watchers are live by then
		atB.forEach((id, nanos) -> {
			Long local = atA.get(id);
			if (local != null && Long.parseLong(id) > 10) {
				added.add((nanos - local) / 1e6);
			}
		});
		double[] sorted = added.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		if (print) {
			System.out.printf(
					"paced: %d events at ~100/s: added latency on B median %.2f ms, p99 %.2f ms, max %.2f ms%n",
					sorted.length, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)],
					sorted[sorted.length - 1]);
		}
		Arrays.fill(sorted, 0);
	}

}
