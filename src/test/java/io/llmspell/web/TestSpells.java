package io.llmspell.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A spells folder for server tests: the project's own spells plus the test-only ones
 * under {@code src/test/resources/test-spells}, copied once per JVM.
 */
public final class TestSpells {

	private static Path dir;

	private TestSpells() {
	}

	public static synchronized Path dir() {
		if (dir == null) {
			try {
				Path target = Files.createTempDirectory("llmspell-test-spells");
				copy(Path.of("spells"), target);
				copy(Path.of("src/test/resources/test-spells"), target);
				dir = target;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return dir;
	}

	private static void copy(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Path destination = to.resolve(from.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(file, destination);
				}
			}
		}
	}

}
