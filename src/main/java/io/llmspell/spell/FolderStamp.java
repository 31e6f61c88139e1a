package io.llmspell.spell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * A cheap summary of a folder's content, to tell whether it changed without reading any
 * file: the latest modification time of the folder and everything in it, how many entries
 * there are, and their total size (which catches an edit within the file system's time
 * granularity that changes the length).
 */
record FolderStamp(long latestModified, int entries, long totalSize) {

	static FolderStamp of(Path folder) throws IOException {
		long latest = 0;
		int entries = 0;
		long size = 0;
		try (Stream<Path> walk = Files.walk(folder)) {
			for (Path path : (Iterable<Path>) walk::iterator) {
				BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
				latest = Math.max(latest, attributes.lastModifiedTime().toMillis());
				entries++;
				size += attributes.isRegularFile() ? attributes.size() : 0;
			}
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		return new FolderStamp(latest, entries, size);
	}

}
