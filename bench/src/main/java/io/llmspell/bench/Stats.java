package io.llmspell.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** min / median / p99 / max of a sample, in milliseconds. */
public record Stats(int n, double min, double median, double p99, double max) {

	public static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

	public static Stats ofMillis(Collection<Double> values) {
		if (values.isEmpty()) {
			return EMPTY;
		}
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return new Stats(sorted.length, sorted[0], rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
	}

	public static Stats ofNanos(Collection<Long> values) {
		return ofMillis(values.stream().map((nanos) -> nanos / 1e6).toList());
	}

	/** Nearest-rank percentile. */
	private static double rank(double[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("n", n);
		map.put("minMs", round(min));
		map.put("medianMs", round(median));
		map.put("p99Ms", round(p99));
		map.put("maxMs", round(max));
		return map;
	}

	static Object round(double value) {
		return Double.isNaN(value) ? null : Math.round(value * 100) / 100.0;
	}

	@Override
	public String toString() {
		return Arrays.toString(new double[] { min, median, p99, max });
	}

}
