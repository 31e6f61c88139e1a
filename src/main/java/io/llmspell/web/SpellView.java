package io.llmspell.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.media.Schema;

import io.llmspell.spell.BrokenSpell;
import io.llmspell.spell.Spell;
import io.llmspell.spell.SpellParameter;

/**
 * A spell as {@code GET /spells} and {@code GET /spells/{name}} show it; {@code readme}
 * and {@code inputSchema} (the parameters as one JSON Schema object, for forms and
 * clients) only in the latter. {@code status} is always there: {@code ok}, or
 * {@code broken} with the {@code error} that keeps it from running and nothing else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpellView(String name, @Schema(allowableValues = {
		OK, BROKEN }) String status, String version, String description, String author, List<String> tags,
		List<ParameterView> parameters, String readme, Map<String, Object> inputSchema,
		@Schema(description = "why a broken spell cannot run; only when status is broken") ErrorView error){

	static final String OK = "ok";

	static final String BROKEN = "broken";

	static SpellView summary(Spell spell) {
		return new SpellView(spell.name(), OK, spell.version(), spell.description(), spell.author(), spell.tags(),
				spell.parameters().stream().map(ParameterView::of).toList(), null, null, null);
	}

	static SpellView details(Spell spell) {
		SpellView summary = summary(spell);
		return new SpellView(summary.name(), OK, summary.version(), summary.description(), summary.author(),
				summary.tags(), summary.parameters(), spell.readme(), inputSchema(spell.parameters()), null);
	}

	/** A broken spell, in the list and on its own alike: its name and what is wrong. */
	static SpellView broken(BrokenSpell broken) {
		return new SpellView(broken.name(), BROKEN, null, null, null, null, null, null, null, ErrorView.of(broken));
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

	/**
	 * Where a broken spell is broken: the file relative to its folder, the line (omitted
	 * when unknown) and the compiler's or parser's message.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record ErrorView(@Schema(example = "main.lua") String file,
			@JsonInclude(JsonInclude.Include.NON_DEFAULT) @Schema(example = "3") int line,
			@Schema(example = "'=' expected near 'end'") String message) {

		static ErrorView of(BrokenSpell broken) {
			return new ErrorView(broken.file(), broken.line(), broken.message());
		}

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
