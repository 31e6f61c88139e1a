package io.llmspell.llm.mock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mock's structured answers: the simplest value that conforms to a JSON Schema, the
 * same for the same schema. It reads the common keywords ({@code const}, {@code enum},
 * {@code type}, {@code properties}, {@code items}, {@code minItems}, {@code minLength},
 * {@code minimum}, {@code format}, {@code anyOf}/{@code oneOf}/{@code allOf}).
 */
final class MockValues {

	private static final int MAX_DEPTH = 20;

	private MockValues() {
	}

	static Object conforming(Object schema) {
		return conforming(schema, 0);
	}

	/** A value that does not conform to {@code schema}: one of the wrong type. */
	static Object nonConforming(Map<String, Object> schema) {
		return "object".equals(type(schema)) ? List.of() : Map.of("unexpected", true);
	}

	@SuppressWarnings("unchecked")
	private static Object conforming(Object node, int depth) {
		if (!(node instanceof Map<?, ?> raw) || depth > MAX_DEPTH) {
			return "mock";
		}
		Map<String, Object> schema = (Map<String, Object>) raw;
		if (schema.containsKey("const")) {
			return schema.get("const");
		}
		if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
			return values.get(0);
		}
		for (String combinator : new String[] { "anyOf", "oneOf", "allOf" }) {
			if (schema.get(combinator) instanceof List<?> options && !options.isEmpty()) {
				return conforming(options.get(0), depth + 1);
			}
		}
		String type = type(schema);
		switch (type) {
			case "object" -> {
				Map<String, Object> value = new LinkedHashMap<>();
				if (schema.get("properties") instanceof Map<?, ?> properties) {
					properties
						.forEach((name, property) -> value.put(String.valueOf(name), conforming(property, depth + 1)));
				}
				return value;
			}
			case "array" -> {
				int count = Math.max(1, number(schema.get("minItems"), 1).intValue());
				List<Object> items = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					items.add(conforming(schema.get("items"), depth + 1));
				}
				return items;
			}
			case "integer" -> {
				return Math.max(0, (long) Math.ceil(bound(schema)));
			}
			case "number" -> {
				return Math.max(0.0, bound(schema));
			}
			case "boolean" -> {
				return true;
			}
			case "null" -> {
				return null;
			}
			default -> {
				return string(schema);
			}
		}
	}

	private static String type(Map<String, Object> schema) {
		Object type = schema.get("type");
		if (type instanceof List<?> types) {
			type = types.stream().filter((t) -> !"null".equals(t)).map(String::valueOf).findFirst().orElse("null");
		}
		if (type == null) {
			return schema.containsKey("properties") ? "object" : (schema.containsKey("items") ? "array" : "string");
		}
		return String.valueOf(type);
	}

	private static double bound(Map<String, Object> schema) {
		if (schema.get("minimum") instanceof Number minimum) {
			return minimum.doubleValue();
		}
		if (schema.get("exclusiveMinimum") instanceof Number minimum) {
			return minimum.doubleValue() + 1;
		}
		return 0;
	}

	private static String string(Map<String, Object> schema) {
		String value = switch (String.valueOf(schema.get("format"))) {
			case "date-time" -> "2026-01-01T00:00:00Z";
			case "date" -> "2026-01-01";
			case "email" -> "mock@example.com";
			case "uri", "url" -> "https://example.com/";
			default -> "mock";
		};
		int minLength = number(schema.get("minLength"), 0).intValue();
		StringBuilder padded = new StringBuilder(value);
		while (padded.length() < minLength) {
			padded.append('-');
		}
		return padded.toString();
	}

	private static Number number(Object value, Number otherwise) {
		return (value instanceof Number number) ? number : otherwise;
	}

}
