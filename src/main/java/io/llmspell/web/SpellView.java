package io.llmspell.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.llmspell.spell.Spell;
import io.llmspell.spell.SpellParameter;

/**
 * A spell as {@code GET /spells} and {@code GET /spells/{name}} show it; {@code readme}
 * only in the latter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpellView(String name, String version, String description, String author, List<String> tags,
		List<ParameterView> parameters, String readme) {

	static SpellView summary(Spell spell) {
		return new SpellView(spell.name(), spell.version(), spell.description(), spell.author(), spell.tags(),
				spell.parameters().stream().map(ParameterView::of).toList(), null);
	}

	static SpellView details(Spell spell) {
		SpellView summary = summary(spell);
		return new SpellView(summary.name(), summary.version(), summary.description(), summary.author(), summary.tags(),
				summary.parameters(), spell.readme());
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
