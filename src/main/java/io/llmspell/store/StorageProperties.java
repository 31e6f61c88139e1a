package io.llmspell.store;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code storage} module's settings, under {@code llmspell.storage}.
 *
 * @param backend where the data lives: {@code file} (the embedded {@link MvStoreBackend},
 * the default) or the name of another backend (e.g. {@code redis}) whose configuration is
 * conditional on this value
 * @param dataDir the directory of the embedded store's file
 * @param maxKeySize the longest key or blob name
 * @param maxValueSize the largest value (its JSON text) or blob
 * @param maxEntries keys plus blobs of one spell
 * @param maxTotalBytes keys plus values plus blobs of one spell
 */
@ConfigurationProperties("llmspell.storage")
public record StorageProperties(@DefaultValue("file") String backend, @DefaultValue("./data") Path dataDir,
		@DefaultValue("256B") DataSize maxKeySize, @DefaultValue("1MB") DataSize maxValueSize,
		@DefaultValue("10000") long maxEntries, @DefaultValue("64MB") DataSize maxTotalBytes) {

	/** The bounds every backend enforces per spell. */
	public StoreQuota quota() {
		return new StoreQuota(maxKeySize.toBytes(), maxValueSize.toBytes(), maxEntries, maxTotalBytes.toBytes());
	}

}
