package io.llmspell.spell;

import java.util.List;

/**
 * One declared parameter of a spell.
 *
 * @param defaultValue the value used when a request gives none (already of {@code type}),
 * or null
 * @param allowed the allowed values ({@code enum} in {@code spell.yaml}); empty when any
 * value of the type goes
 */
public record SpellParameter(String name, ParameterType type, String description, Object defaultValue, boolean required,
		List<Object> allowed) {

	public SpellParameter {
		allowed = (allowed != null) ? List.copyOf(allowed) : List.of();
	}

}
