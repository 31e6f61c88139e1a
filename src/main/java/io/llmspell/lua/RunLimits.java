package io.llmspell.lua;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * The limits one run lives within. The server's limits are the ceiling: a spell's
 * {@code spell.yaml} and a request's {@code options} can only lower them
 * ({@link #lowerWith}).
 *
 * @param timeout wall-clock time of the whole run
 * @param maxInstructions Lua VM instructions, counted in coroutines and callbacks too
 * @param maxMemory bytes the run may hold: what its Lua state reaches, plus what Java
 * holds for it, as {@link RunGuard} estimates it (garbage does not count)
 * @param maxOutputBytes bytes of every event the run sends (text, log fields, callback
 * results, the echoed params, the result), as {@link EventSize} counts them
 * @param maxOutputEvents events the run may emit
 * @param maxPending async operations pending at once (LLM calls, timers)
 * @param maxCoroutines coroutines the run may create (each is a thread in LuaJ)
 * @param maxStringSize largest string a library function or {@code ..} may build
 * @param maxCallDepth nested Lua calls (unbounded recursion ends here, not in a
 * StackOverflowError)
 * @param maxLlmCalls LLM calls the run may have in flight or waiting for a provider's
 * slot at once; past it a call fails at once (the run goes on)
 * @param maxHttpRequests requests the {@code http} module may send (redirects not
 * counted)
 * @param maxHttpResponseBytes the largest body of one {@code http} response; a longer one
 * is cut with an error
 * @param httpTimeout the longest one {@code http} request may take, redirects included
 * @param maxEventBytes bytes of one event (an output, a log entry with its fields, a
 * callback, the result), as {@link EventSize} counts them: no single event is larger,
 * whatever is left of {@code maxOutputBytes}
 */
public record RunLimits(Duration timeout, long maxInstructions, long maxMemory, long maxOutputBytes,
		long maxOutputEvents, long maxPending, long maxCoroutines, long maxStringSize, long maxCallDepth,
		long maxLlmCalls, long maxHttpRequests, long maxHttpResponseBytes, Duration httpTimeout, long maxEventBytes) {

	/** These limits with events bounded by {@code maxOutputBytes} only. */
	public RunLimits(Duration timeout, long maxInstructions, long maxMemory, long maxOutputBytes, long maxOutputEvents,
			long maxPending, long maxCoroutines, long maxStringSize, long maxCallDepth, long maxLlmCalls,
			long maxHttpRequests, long maxHttpResponseBytes, Duration httpTimeout) {
		this(timeout, maxInstructions, maxMemory, maxOutputBytes, maxOutputEvents, maxPending, maxCoroutines,
				maxStringSize, maxCallDepth, maxLlmCalls, maxHttpRequests, maxHttpResponseBytes, httpTimeout,
				maxOutputBytes);
	}

	/** HTTP names of the limits. */
	public static final String HTTP_REQUESTS = "max-http-requests", HTTP_RESPONSE_BYTES = "max-http-response-bytes",
			HTTP_TIMEOUT = "http-timeout";

	/**
	 * These limits with no bound on LLM calls beyond {@code maxPending} and no http
	 * limits of their own (the http module is then bounded by the run's time and memory
	 * only).
	 */
	public RunLimits(Duration timeout, long maxInstructions, long maxMemory, long maxOutputBytes, long maxOutputEvents,
			long maxPending, long maxCoroutines, long maxStringSize, long maxCallDepth) {
		this(timeout, maxInstructions, maxMemory, maxOutputBytes, maxOutputEvents, maxPending, maxCoroutines,
				maxStringSize, maxCallDepth, Long.MAX_VALUE);
	}

	/** These limits with no http limits of their own. */
	public RunLimits(Duration timeout, long maxInstructions, long maxMemory, long maxOutputBytes, long maxOutputEvents,
			long maxPending, long maxCoroutines, long maxStringSize, long maxCallDepth, long maxLlmCalls) {
		this(timeout, maxInstructions, maxMemory, maxOutputBytes, maxOutputEvents, maxPending, maxCoroutines,
				maxStringSize, maxCallDepth, maxLlmCalls, Long.MAX_VALUE, maxMemory, timeout);
	}

	/** These limits with no bound on LLM calls beyond {@code maxPending}. */
	public RunLimits(Duration timeout, long maxInstructions, long maxMemory, long maxOutputBytes, long maxOutputEvents,
			long maxPending, long maxCoroutines, long maxStringSize, long maxCallDepth, long maxHttpRequests,
			long maxHttpResponseBytes, Duration httpTimeout) {
		this(timeout, maxInstructions, maxMemory, maxOutputBytes, maxOutputEvents, maxPending, maxCoroutines,
				maxStringSize, maxCallDepth, Long.MAX_VALUE, maxHttpRequests, maxHttpResponseBytes, httpTimeout);
	}

	private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

	/**
	 * The names limits go by in {@code spell.yaml}, {@code options} and {@code error}
	 * events.
	 */
	public static final String TIMEOUT = "timeout", INSTRUCTIONS = "max-instructions", MEMORY = "max-memory",
			OUTPUT_BYTES = "max-output-bytes", OUTPUT_EVENTS = "max-output-events", PENDING = "max-pending",
			COROUTINES = "max-coroutines", STRING_SIZE = "max-string-size", CALL_DEPTH = "max-call-depth",
			LLM_CALLS = "max-llm-calls", EVENT_BYTES = "max-event-bytes";

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
		Duration newTimeout = lower(values, TIMEOUT, timeout, RunLimits::duration);
		long instructions = lower(values, INSTRUCTIONS, maxInstructions, RunLimits::count);
		long memory = lower(values, MEMORY, maxMemory, RunLimits::bytes);
		long outputBytes = lower(values, OUTPUT_BYTES, maxOutputBytes, RunLimits::bytes);
		long outputEvents = lower(values, OUTPUT_EVENTS, maxOutputEvents, RunLimits::count);
		long pending = lower(values, PENDING, maxPending, RunLimits::count);
		long coroutines = lower(values, COROUTINES, maxCoroutines, RunLimits::count);
		long stringSize = lower(values, STRING_SIZE, maxStringSize, RunLimits::bytes);
		long callDepth = lower(values, CALL_DEPTH, maxCallDepth, RunLimits::count);
		long llmCalls = lower(values, LLM_CALLS, maxLlmCalls, RunLimits::count);
		long httpRequests = lower(values, HTTP_REQUESTS, maxHttpRequests, RunLimits::count);
		long httpResponseBytes = lower(values, HTTP_RESPONSE_BYTES, maxHttpResponseBytes, RunLimits::bytes);
		Duration newHttpTimeout = lower(values, HTTP_TIMEOUT, httpTimeout, RunLimits::duration);
		long eventBytes = lower(values, EVENT_BYTES, maxEventBytes, RunLimits::bytes);
		if (!values.isEmpty()) {
			String unknown = values.keySet().iterator().next();
			throw new InvalidLimitException(unknown, "unknown limit '" + unknown + "'; the limits are " + NAMES);
		}
		return new RunLimits(newTimeout, instructions, memory, outputBytes, outputEvents, pending, coroutines,
				stringSize, callDepth, llmCalls, httpRequests, httpResponseBytes, newHttpTimeout, eventBytes);
	}

	private static final List<String> NAMES = List.of(TIMEOUT, INSTRUCTIONS, MEMORY, OUTPUT_BYTES, OUTPUT_EVENTS,
			PENDING, COROUTINES, STRING_SIZE, CALL_DEPTH, LLM_CALLS, HTTP_REQUESTS, HTTP_RESPONSE_BYTES, HTTP_TIMEOUT,
			EVENT_BYTES);

	private static String canonical(String key) {
		String dashed = key.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
		return (dashed.equals("run-timeout")) ? TIMEOUT : dashed;
	}

	private static long lower(Map<String, Object> values, String name, long current,
			BiFunction<String, Object, Long> parse) {
		return lower(values, name, (Long) current, parse);
	}

	private static <T extends Comparable<T>> T lower(Map<String, Object> values, String name, T current,
			BiFunction<String, Object, T> parse) {
		Object value = values.remove(name);
		if (value == null) {
			return current;
		}
		T requested;
		try {
			requested = parse.apply(String.valueOf(value).strip(), value);
		}
		catch (RuntimeException ex) {
			throw new InvalidLimitException(name, "'" + value + "' is not a valid " + name + ": " + ex.getMessage());
		}
		return (requested.compareTo(current) < 0) ? requested : current;
	}

	/**
	 * Seconds as a number ({@code 5}, {@code 0.5}, also as text: {@code "5"}), or a
	 * duration with its unit ({@code 500ms}, {@code 2s}, {@code 1m}).
	 */
	private static Duration duration(String text, Object value) {
		Duration parsed;
		if (value instanceof Number number) {
			parsed = Duration.ofMillis(Math.round(number.doubleValue() * 1000));
		}
		else if (SECONDS.matcher(text).matches()) {
			parsed = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
		}
		else {
			parsed = DurationStyle.detectAndParse(text);
		}
		if (parsed.isNegative() || parsed.isZero()) {
			throw new IllegalArgumentException("it must be positive (seconds, or with a unit: 500ms, 2s)");
		}
		return parsed;
	}

	private static Long count(String text, Object value) {
		long parsed = (value instanceof Number number) ? number.longValue() : Long.parseLong(text.strip());
		if (parsed <= 0) {
			throw new IllegalArgumentException("it must be positive");
		}
		return parsed;
	}

	private static Long bytes(String text, Object value) {
		long parsed = (value instanceof Number number) ? number.longValue() : DataSize.parse(text.strip()).toBytes();
		if (parsed <= 0) {
			throw new IllegalArgumentException("it must be positive");
		}
		return parsed;
	}

}
