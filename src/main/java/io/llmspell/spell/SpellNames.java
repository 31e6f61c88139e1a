package io.llmspell.spell;

import java.util.regex.Pattern;

/** What a spell may be called: a name that is safe as a folder name and in a URL. */
public final class SpellNames {

	// The first character must be a letter or digit, so ".", ".." and hidden folders
	// never match.
	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private SpellNames() {
	}

	public static boolean isValid(String name) {
		return name != null && VALID.matcher(name).matches();
	}

}
