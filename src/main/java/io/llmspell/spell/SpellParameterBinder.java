package io.llmspell.spell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import io.llmspell.spell.ParameterValues.Source;

/**
 * Checks a run request's parameters against a spell's declared ones and gives them their
 * declared types.
 */
@Component
public class SpellParameterBinder {

	/**
	 * The parameters a run of {@code spell} gets.
	 *
	 * <p>
	 * Values come from the JSON body's {@code params} (already typed) and from the query
	 * string (text; the first value of a repeated name). When both give a parameter,
	 * <b>the body wins</b>. A JSON {@code null} counts as not given. Values are converted
	 * to the declared type: {@code integer} to {@link Long} (from integers, integral
	 * numbers like {@code 3.0}, or text like {@code "3"}), {@code number} to
	 * {@link Double} (from numbers or numeric text), {@code boolean} to {@link Boolean}
	 * (from booleans or {@code "true"}/{@code "false"} in any case), {@code string} from
	 * text only (a number or boolean in the body is refused), {@code array} and
	 * {@code object} from JSON arrays and objects (in the query string, as JSON text).
	 * Enum values are checked after conversion; absent parameters get their default.
	 * @param bodyParams the body's {@code params}, or null
	 * @param queryParams the query string's parameters, or null
	 * @return the values in declared order; absent optional parameters without a default
	 * are left out
	 * @throws InvalidParameterException naming the first parameter that is unknown,
	 * missing, of the wrong type or not one of the allowed values
	 */
	public Map<String, Object> bind(Spell spell, Map<String, Object> bodyParams,
			Map<String, List<String>> queryParams) {
		Map<String, Object> body = (bodyParams != null) ? bodyParams : Map.of();
		Map<String, List<String>> query = (queryParams != null) ? queryParams : Map.of();
		checkKnown(spell, query.keySet());
		checkKnown(spell, body.keySet());
		Map<String, Object> bound = new LinkedHashMap<>();
		for (SpellParameter parameter : spell.parameters()) {
			Object value = value(parameter, body, query);
			if (value != null) {
				bound.put(parameter.name(), value);
			}
			else if (parameter.required()) {
				throw new InvalidParameterException(parameter.name(), "is required");
			}
		}
		return bound;
	}

	private static Object value(SpellParameter parameter, Map<String, Object> body, Map<String, List<String>> query) {
		String name = parameter.name();
		Object value;
		if (body.get(name) != null) {
			value = ParameterValues.coerce(name, parameter.type(), body.get(name), Source.TYPED);
		}
		else if (query.get(name) != null && !query.get(name).isEmpty() && query.get(name).get(0) != null) {
			value = ParameterValues.coerce(name, parameter.type(), query.get(name).get(0), Source.QUERY);
		}
		else {
			// Defaults were converted and checked against the enum when the spell was
			// loaded.
			return parameter.defaultValue();
		}
		ParameterValues.checkAllowed(name, parameter.allowed(), value);
		return value;
	}

	private static void checkKnown(Spell spell, Iterable<String> names) {
		for (String name : names) {
			boolean known = spell.parameters().stream().anyMatch((parameter) -> parameter.name().equals(name));
			if (!known) {
				String declared = spell.parameters()
					.stream()
					.map(SpellParameter::name)
					.collect(Collectors.joining(", "));
				throw new InvalidParameterException(name, declared.isEmpty()
						? "unknown parameter; this spell takes none" : "unknown parameter; known: " + declared);
			}
		}
	}

}
