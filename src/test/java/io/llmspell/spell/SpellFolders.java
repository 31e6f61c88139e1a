package io.llmspell.spell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/** Writes spell folders for tests. */
final class SpellFolders {

	private SpellFolders() {
	}

	/**
	 * Writes {@code relative} (e.g. {@code "hello/main.lua"}) under {@code root} and
	 * returns its path.
	 */
	static Path write(Path root, String relative, String content) {
		try {
			Path file = root.resolve(relative);
			Files.createDirectories(file.getParent());
			return Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A minimal valid spell named {@code name} whose main chunk is {@code main}. */
	static Path spell(Path root, String name, String main) {
		write(root, name + "/spell.yaml", "name: " + name + "\nversion: 1.0.0\ndescription: test spell\n");
		write(root, name + "/main.lua", main);
		return root.resolve(name);
	}

	/**
	 * Moves a file's modification time forward, as a later edit would, whatever the
	 * clock's granularity.
	 */
	static void touchLater(Path file) {
		try {
			FileTime time = Files.getLastModifiedTime(file);
			Files.setLastModifiedTime(file, FileTime.fromMillis(time.toMillis() + 5_000));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
