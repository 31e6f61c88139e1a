package io.llmspell.spell;

/** No spell of that name is in the catalog. */
public class UnknownSpellException extends RuntimeException {

	private final String spell;

	public UnknownSpellException(String spell) {
		super("no spell named '" + spell + "'");
		this.spell = spell;
	}

	public String spell() {
		return spell;
	}

}
