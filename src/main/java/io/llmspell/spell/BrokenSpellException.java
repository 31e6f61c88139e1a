package io.llmspell.spell;

/**
 * The spell exists but cannot run until its files are fixed: a syntax error in its Lua,
 * an invalid {@code spell.yaml}.
 */
public class BrokenSpellException extends RuntimeException {

	private final BrokenSpell broken;

	public BrokenSpellException(BrokenSpell broken) {
		super("spell '" + broken.name() + "' is broken: " + broken.describe());
		this.broken = broken;
	}

	public BrokenSpell broken() {
		return broken;
	}

}
