package io.llmspell.spell;

import java.nio.file.Path;

/**
 * A spell folder that cannot be served: bad {@code spell.yaml}, missing entry, Lua syntax
 * error. The message starts with the file and, when known, the line:
 * {@code spells/bad/main.lua:3: ...}.
 */
public class SpellLoadException extends RuntimeException {

	private final Path file;

	private final int line;

	private final String reason;

	public SpellLoadException(Path file, int line, String reason) {
		this(file, line, reason, null);
	}

	public SpellLoadException(Path file, int line, String reason, Throwable cause) {
		super(file + ((line > 0) ? ":" + line : "") + ": " + reason, cause);
		this.file = file;
		this.line = line;
		this.reason = reason;
	}

	/** The file at fault. */
	public Path file() {
		return file;
	}

	/** The 1-based line at fault, or 0 when it is not known. */
	public int line() {
		return line;
	}

	/** What is wrong, without the file and line. */
	public String reason() {
		return reason;
	}

}
