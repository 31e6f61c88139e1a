package io.llmspell.lua;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * The limits one run lives within. The server's limits are the ceiling: a spell's
 * {@code spell.yaml} and a request's {@code options} can only lower them
 * ({@link #lowerWith}).
 *
 * @param timeout wall-clock time of the whole run
 * @param maxInstructions Lua VM instructions, counted in coroutines and callbacks too
 * @param maxMemory bytes the run may allocate in all (its Lua threads, measured by the
 * JVM)
 * @param maxOutputBytes bytes of {@code output}, {@code log} and {@code chunk} text
 * @param maxOutputEvents events the run may emit
 * @param maxPending async operations pending at once (LLM calls, timers)
 * @param maxCoroutines coroutines the run may create (each is a thread in LuaJ)
 * @param maxStringSize largest string a library function or {@code ..} may build
 * @param maxCallDepth nested Lua calls (unbounded recursion ends here, not in a
 * StackOverflowError)
 * @param maxHttpRequests requests the {@code http} module may send (redirects not
 * counted)
 * @param maxHttpResponseBytes the largest body of one {@code http} response; a longer one
 * is cut with an error
 * @param httpTimeout the longest one {@code http} request may take, redirects included
 */
public record RunLimits(Duration timeout, long maxInstructions, long maxMemory, long maxOutputBytes,
		long maxOutputEvents, long maxPending, long maxCoroutines, long maxStringSize, long maxCallDepth,
		long maxHttpRequests, long maxHttpResponseBytes, Duration httpTimeout) {

	/** HTTP names of the limits. */
	public static final String HTTP_REQUESTS = "max-http-requests", HTTP_RESPONSE_BYTES = "max-http-response-bytes",
			HTTP_TIMEOUT = "http-timeout";

	/**
	 * Limits without http limits of their own: the http module is bounded by the run's
	 * time and memory only.
	 */
	public RunLimits(Duration timeout, long maxInstructions, long maxMemory, long maxOutputBytes, long maxOutputEvents,
			long maxPending, long maxCoroutines, long maxStringSize, long maxCallDepth) {
		this(timeout, maxInstructions, maxMemory, maxOutputBytes, maxOutputEvents, maxPending, maxCoroutines,
				maxStringSize, maxCallDepth, Long.MAX_VALUE, maxMemory, timeout);
	}

	/**
	 * The names limits go by in {@code spell.yaml}, {@code options} and {@code error}
	 * events.
	 */
	public static final String TIMEOUT = "timeout", INSTRUCTIONS = "max-instructions", MEMORY = "max-memory",
			OUTPUT_BYTES = "max-output-bytes", OUTPUT_EVENTS = "max-output-events", PENDING = "max-pending",
			COROUTINES = "max-coroutines", STRING_SIZE = "max-string-size", CALL_DEPTH = "max-call-depth";

	/**
	 * These limits, each lowered to the value {@code overrides} gives for it, if lower.
	 * Keys are the limit names above (camelCase accepted too); durations as
	 * {@code 5s}/{@code 500ms} or seconds as a number, sizes as {@code 10MB} or a number
	 * of bytes. An unknown key or a bad value is an error.
	 */
	public RunLimits lowerWith(Map<String, ?> overrides) {
		if (overrides == null || overrides.isEmpty()) {
			return this;
		}
		Map<String, Object> values = new LinkedHashMap<>();
		overrides.forEach((key, value) -> values.put(canonical(key), value));
		Duration newTimeout = lower(values.remove(TIMEOUT), timeout, RunLimits::duration);
		long instructions = lower(values.remove(INSTRUCTIONS), maxInstructions, RunLimits::count);
		long memory = lower(values.remove(MEMORY), maxMemory, RunLimits::bytes);
		long outputBytes = lower(values.remove(OUTPUT_BYTES), maxOutputBytes, RunLimits::bytes);
		long outputEvents = lower(values.remove(OUTPUT_EVENTS), maxOutputEvents, RunLimits::count);
		long pending = lower(values.remove(PENDING), maxPending, RunLimits::count);
		long coroutines = lower(values.remove(COROUTINES), maxCoroutines, RunLimits::count);
		long stringSize = lower(values.remove(STRING_SIZE), maxStringSize, RunLimits::bytes);
		long callDepth = lower(values.remove(CALL_DEPTH), maxCallDepth, RunLimits::count);
		long httpRequests = lower(values.remove(HTTP_REQUESTS), maxHttpRequests, RunLimits::count);
		long httpResponseBytes = lower(values.remove(HTTP_RESPONSE_BYTES), maxHttpResponseBytes, RunLimits::bytes);
		Duration newHttpTimeout = lower(values.remove(HTTP_TIMEOUT), httpTimeout, RunLimits::duration);
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("unknown limit '" + values.keySet().iterator().next() + "'");
		}
		return new RunLimits(newTimeout, instructions, memory, outputBytes, outputEvents, pending, coroutines,
				stringSize, callDepth, httpRequests, httpResponseBytes, newHttpTimeout);
	}

	private static String canonical(String key) {
		String dashed = key.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
		return (dashed.equals("run-timeout")) ? TIMEOUT : dashed;
	}

	private static <T extends Comparable<T>> T lower(Object value, T current, BiFunction<String, Object, T> parse) {
		return lowerOf(value, current, parse);
	}

	private static long lower(Object value, long current, BiFunction<String, Object, Long> parse) {
		return lowerOf(value, current, parse);
	}

	private static <T extends Comparable<T>> T lowerOf(Object value, T current, BiFunction<String, Object, T> parse) {
		if (value == null) {
			return current;
		}
		T requested = parse.apply(String.valueOf(value), value);
		return (requested.compareTo(current) < 0) ? requested : current;
	}

	private static Duration duration(String text, Object value) {
		Duration parsed = (value instanceof Number number) ? Duration.ofMillis(Math.round(number.doubleValue() * 1000))
				: DurationStyle.detectAndParse(text);
		if (parsed.isNegative() || parsed.isZero()) {
			throw new IllegalArgumentException("timeout must be positive, got " + text);
		}
		return parsed;
	}

	private static Long count(String text, Object value) {
		long parsed = (value instanceof Number number) ? number.longValue() : Long.parseLong(text.strip());
		if (parsed <= 0) {
			throw new IllegalArgumentException("limit must be positive, got " + text);
		}
		return parsed;
	}

	private static Long bytes(String text, Object value) {
		long parsed = (value instanceof Number number) ? number.longValue() : DataSize.parse(text.strip()).toBytes();
		if (parsed <= 0) {
			throw new IllegalArgumentException("size must be positive, got " + text);
		}
		return parsed;
	}

}
