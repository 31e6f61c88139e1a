package io.llmspell.spell;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a raw value into the Java value a parameter of a given type holds:
 * {@code integer} -> {@link Long}, {@code number} -> {@link Double}, {@code boolean} ->
 * {@link Boolean}, {@code string} -> {@link String}, {@code array} -> unmodifiable
 * {@link List}, {@code object} -> unmodifiable {@link Map}. Shared by {@code spell.yaml}
 * defaults and request parameters so both follow the same rules.
 */
final class ParameterValues {

	/** Where a value comes from: typed values (JSON body, YAML) or query-string text. */
	enum Source {

		TYPED, QUERY

	}

	private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");

	// Plain decimal notation only: no hex, "NaN" or "Infinity", which Double.parseDouble
	// would take.
	private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

	private static final int MAX_SHOWN = 40;

	private ParameterValues() {
	}

	/**
	 * The value converted to {@code type}.
	 * @throws InvalidParameterException naming {@code name} when the value does not fit
	 */
	static Object coerce(String name, ParameterType type, Object value, Source source) {
		Object coerced = switch (type) {
			case STRING -> (value instanceof String s) ? s : null;
			case INTEGER -> toLong(value);
			case NUMBER -> toDouble(value);
			case BOOLEAN -> toBoolean(value);
			case ARRAY -> toList(fromJsonText(value, source));
			case OBJECT -> toMap(fromJsonText(value, source));
		};
		if (coerced == null) {
			throw new InvalidParameterException(name, "expected " + type.yamlName() + ", got " + describe(value));
		}
		return coerced;
	}

	/**
	 * Checks the value against the allowed ones, if any.
	 * @throws InvalidParameterException naming {@code name} when it is not one of them
	 */
	static void checkAllowed(String name, List<Object> allowed, Object value) {
		if (!allowed.isEmpty() && !allowed.contains(value)) {
			String choices = allowed.stream().map(ParameterValues::describe).collect(Collectors.joining(", "));
			throw new InvalidParameterException(name, "must be one of " + choices + "; got " + describe(value));
		}
	}

	/** A short, safe rendering of a value for an error message. */
	static String describe(Object value) {
		if (value instanceof String s) {
			String shown = (s.length() > MAX_SHOWN) ? s.substring(0, MAX_SHOWN) + "..." : s;
			return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		}
		if (value instanceof List) {
			return "an array";
		}
		if (value instanceof Map) {
			return "an object";
		}
		if (value instanceof BigDecimal decimal) {
			return decimal.toPlainString();
		}
		return String.valueOf(value);
	}

	private static Long toLong(Object value) {
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			return ((Number) value).longValue();
		}
		if (value instanceof BigInteger big) {
			return (big.bitLength() < 64) ? big.longValue() : null;
		}
		if (value instanceof BigDecimal decimal) {
			try {
				return decimal.longValueExact();
			}
			catch (ArithmeticException ex) {
				return null;
			}
		}
		if (value instanceof Double || value instanceof Float) {
			// 3.0 is an integer that JSON happened to write with a fraction; 3.5 is not.
			double d = ((Number) value).doubleValue();
			boolean integral = Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63;
			return integral ? (long) d : null;
		}
		if (value instanceof String s && INTEGER.matcher(s).matches()) {
			try {
				return Long.parseLong(s);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	private static Double toDouble(Object value) {
		double d;
		if (value instanceof Number number) {
			d = number.doubleValue();
		}
		else if (value instanceof String s && NUMBER.matcher(s).matches()) {
			d = Double.parseDouble(s);
		}
		else {
			return null;
		}
		return Double.isFinite(d) ? d : null;
	}

	private static Boolean toBoolean(Object value) {
		if (value instanceof Boolean b) {
			return b;
		}
		if (value instanceof String s) {
			return switch (s.toLowerCase(Locale.ROOT)) {
				case "true" -> Boolean.TRUE;
				case "false" -> Boolean.FALSE;
				default -> null;
			};
		}
		return null;
	}

	// A query string can only carry text, so arrays and objects come as JSON there.
	private static Object fromJsonText(Object value, Source source) {
		if (source == Source.QUERY && value instanceof String text) {
			try {
				return JsonMapper.shared().readValue(text, Object.class);
			}
			catch (JacksonException ex) {
				return value;
			}
		}
		return value;
	}

	private static List<Object> toList(Object value) {
		if (!(value instanceof List<?> list)) {
			return null;
		}
		List<Object> copy = new ArrayList<>(list.size());
		list.forEach((element) -> copy.add(deepCopy(element)));
		return Collections.unmodifiableList(copy);
	}

	private static Map<String, Object> toMap(Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			return null;
		}
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, element) -> copy.put(String.valueOf(key), deepCopy(element)));
		return Collections.unmodifiableMap(copy);
	}

	// Copies so that a default shared by every run cannot be changed through one of them.
	private static Object deepCopy(Object value) {
		if (value instanceof List) {
			return toList(value);
		}
		if (value instanceof Map) {
			return toMap(value);
		}
		return value;
	}

}
