package io.llmspell.spell;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.llmspell.spell.ParameterValues.Source;

/**
 * Reads the {@code parameters} of a {@code spell.yaml}, in either form found in the wild:
 * a list of {@code {name, type, ...}} or a map {@code name -> {type, ...}}.
 */
final class ParameterDeclarations {

	private static final String KEY = "parameters";

	private ParameterDeclarations() {
	}

	/**
	 * The declared parameters in file order.
	 * @throws SpellLoadException for an unknown type, a default or enum value not of the
	 * type, a default outside the enum, a nameless or duplicate parameter
	 */
	static List<SpellParameter> parse(YamlDocument doc) {
		Object raw = doc.data().get(KEY);
		List<SpellParameter> parameters = new ArrayList<>();
		if (raw instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				if (!(list.get(i) instanceof Map<?, ?> fields)) {
					throw doc.error("each of 'parameters' must be a mapping with a 'name'", KEY, i);
				}
				Object name = fields.get("name");
				if (!(name instanceof String text) || text.isBlank()) {
					throw doc.error("parameter #" + (i + 1) + " has no 'name'", KEY, i);
				}
				parameters.add(parameter(doc, text, fields, KEY, i));
			}
		}
		else if (raw instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String name = String.valueOf(entry.getKey());
				// "name:" with nothing under it declares a plain optional string.
				Map<?, ?> fields = (entry.getValue() != null) ? asMap(doc, entry.getValue(), name) : Map.of();
				parameters.add(parameter(doc, name, fields, KEY, name));
			}
		}
		else if (raw != null) {
			throw doc.error("'parameters' must be a list or a mapping", KEY);
		}
		checkUnique(doc, parameters);
		return parameters;
	}

	private static SpellParameter parameter(YamlDocument doc, String name, Map<?, ?> fields, Object... path) {
		ParameterType type = type(doc, name, fields.get("type"), path);
		Object description = fields.get("description");
		Object required = fields.get("required");
		if (required != null && !(required instanceof Boolean)) {
			throw doc.error(prefix(name) + "'required' must be true or false", at(path, "required"));
		}
		List<Object> allowed = allowed(doc, name, type, fields.get("enum"), path);
		Object defaultValue = null;
		if (fields.get("default") != null) {
			try {
				defaultValue = ParameterValues.coerce(name, type, fields.get("default"), Source.TYPED);
				ParameterValues.checkAllowed(name, allowed, defaultValue);
			}
			catch (InvalidParameterException ex) {
				throw doc.error(prefix(name) + "default " + ex.reason(), at(path, "default"));
			}
		}
		return new SpellParameter(name, type, (description != null) ? description.toString() : null, defaultValue,
				Boolean.TRUE.equals(required), allowed);
	}

	private static ParameterType type(YamlDocument doc, String name, Object raw, Object... path) {
		if (raw == null) {
			return ParameterType.STRING;
		}
		for (ParameterType type : ParameterType.values()) {
			if (type.yamlName().equals(raw.toString().toLowerCase(Locale.ROOT))) {
				return type;
			}
		}
		throw doc.error(
				prefix(name) + "unknown type '" + raw + "' (known: string, integer, number, boolean, array, object)",
				at(path, "type"));
	}

	private static List<Object> allowed(YamlDocument doc, String name, ParameterType type, Object raw, Object... path) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof List<?> values)) {
			throw doc.error(prefix(name) + "'enum' must be a list", at(path, "enum"));
		}
		List<Object> allowed = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			try {
				// Converted like any value, so "enum: [1, 2]" of an integer holds Longs
				// that match bound ones.
				allowed.add(ParameterValues.coerce(name, type, values.get(i), Source.TYPED));
			}
			catch (InvalidParameterException ex) {
				throw doc.error(prefix(name) + "enum value " + ex.reason(), at(path, "enum", i));
			}
		}
		return allowed;
	}

	private static void checkUnique(YamlDocument doc, List<SpellParameter> parameters) {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < parameters.size(); i++) {
			if (!seen.add(parameters.get(i).name())) {
				throw doc.error(prefix(parameters.get(i).name()) + "declared twice", KEY, i);
			}
		}
	}

	private static Map<?, ?> asMap(YamlDocument doc, Object value, String name) {
		if (value instanceof Map<?, ?> map) {
			return map;
		}
		throw doc.error(prefix(name) + "must be a mapping of type, description, default, required, enum", KEY, name);
	}

	private static String prefix(String name) {
		return "parameter '" + name + "': ";
	}

	private static Object[] at(Object[] path, Object... more) {
		Object[] full = new Object[path.length + more.length];
		System.arraycopy(path, 0, full, 0, path.length);
		System.arraycopy(more, 0, full, path.length, more.length);
		return full;
	}

}
