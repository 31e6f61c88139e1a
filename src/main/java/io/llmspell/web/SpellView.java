package io.llmspell.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.llmspell.spell.Spell;
import io.llmspell.spell.SpellParameter;

/**
 * A spell as {@code GET /spells} and {@code GET /spells/{name}} show it; {@code readme}
 * and {@code inputSchema} (the parameters as one JSON Schema object, for forms and
 * clients) only in the latter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpellView(String name, String version, String description, String author, List<String> tags,
		List<ParameterView> parameters, String readme, Map<String, Object> inputSchema) {

	static SpellView summary(Spell spell) {
		return new SpellView(spell.name(), spell.version(), spell.description(), spell.author(), spell.tags(),
				spell.parameters().stream().map(ParameterView::of).toList(), null, null);
	}

	static SpellView details(Spell spell) {
		SpellView summary = summary(spell);
		return new SpellView(summary.name(), summary.version(), summary.description(), summary.author(), summary.tags(),
				summary.parameters(), spell.readme(), inputSchema(spell.parameters()));
	}

	/**
	 * The parameters as a JSON Schema (2020-12) object: what {@code params} in a run's
	 * body must be.
	 */
	static Map<String, Object> inputSchema(List<SpellParameter> parameters) {
		Map<String, Object> properties = new LinkedHashMap<>();
		List<String> required = new java.util.ArrayList<>();
		for (SpellParameter parameter : parameters) {
			Map<String, Object> property = new LinkedHashMap<>();
			property.put("type", parameter.type().yamlName());
			if (parameter.description() != null) {
				property.put("description", parameter.description());
			}
			if (parameter.defaultValue() != null) {
				property.put("default", parameter.defaultValue());
			}
			if (!parameter.allowed().isEmpty()) {
				property.put("enum", parameter.allowed());
			}
			properties.put(parameter.name(), property);
			if (parameter.required()) {
				required.add(parameter.name());
			}
		}
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		schema.put("type", "object");
		schema.put("properties", properties);
		if (!required.isEmpty()) {
			schema.put("required", required);
		}
		schema.put("additionalProperties", false);
		return schema;
	}

	/** One parameter: its type as {@code spell.yaml} names it. */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	public record ParameterView(String name, String type, String description,
			@JsonProperty("default") Object defaultValue, boolean required,
			@JsonProperty("enum") List<Object> allowed) {

		static ParameterView of(SpellParameter parameter) {
			return new ParameterView(parameter.name(), parameter.type().yamlName(), parameter.description(),
					parameter.defaultValue(), parameter.required(), parameter.allowed());
		}

	}

}
