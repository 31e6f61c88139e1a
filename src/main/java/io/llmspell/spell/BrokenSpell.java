package io.llmspell.spell;

/**
 * A spell folder that is in the catalog but cannot run, and why: what {@code GET /spells}
 * shows for it until its files are fixed.
 *
 * @param name the folder's name
 * @param file the file at fault, relative to the spell's folder ({@code main.lua},
 * {@code spell.yaml}, {@code lib/util.lua}), or null when it is the folder itself
 * @param line the 1-based line at fault, or 0 when it is not known
 * @param message what is wrong, without the file and line
 */
public record BrokenSpell(String name, String file, int line, String message) {

	/**
	 * Where and what, as a compiler says it: {@code main.lua:3: '=' expected near 'x'}.
	 */
	public String describe() {
		if (file == null) {
			return message;
		}
		return file + ((line > 0) ? ":" + line : "") + ": " + message;
	}

}
