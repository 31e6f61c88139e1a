package io.llmspell.spell;

import java.util.Locale;

/** The types a spell parameter can have, as {@code spell.yaml} names them. */
public enum ParameterType {

	STRING, INTEGER, NUMBER, BOOLEAN, ARRAY, OBJECT;

	public String yamlName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
