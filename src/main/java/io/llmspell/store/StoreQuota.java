package io.llmspell.store;

/**
 * The bounds of one namespace, from {@code llmspell.storage.*}. Every
 * {@link StorageBackend} enforces them on each write, atomically with it.
 *
 * @param maxKeySize the longest key or blob name, in UTF-8 bytes
 * @param maxValueSize the largest value or blob, in UTF-8 bytes
 * @param maxEntries keys plus blobs in one namespace
 * @param maxTotalBytes the sum of {@link #sizeOf} over a namespace's entries
 */
public record StoreQuota(long maxKeySize, long maxValueSize, long maxEntries, long maxTotalBytes) {

	/** What an entry costs: the UTF-8 bytes of its key and its value. */
	public static long sizeOf(String key, String value) {
		return utf8Length(key) + utf8Length(value);
	}

	/**
	 * The checks that need no state: a key that is empty or too long, a value that is too
	 * large.
	 * @throws StoreQuotaException if one fails
	 */
	public void checkEntry(String key, String value) {
		if (key == null || key.isEmpty()) {
			throw new StoreQuotaException("storage: the key is empty");
		}
		long keySize = utf8Length(key);
		if (keySize > maxKeySize) {
			throw new StoreQuotaException(
					"storage: the key is " + keySize + " bytes, the limit is " + maxKeySize + " bytes");
		}
		long valueSize = utf8Length(value);
		if (valueSize > maxValueSize) {
			throw new StoreQuotaException(
					"storage: the value is " + valueSize + " bytes, the limit is " + maxValueSize + " bytes");
		}
	}

	/**
	 * The checks that need the namespace's usage, for a write that replaces
	 * {@code replaced} (0 if the entry is new) with an entry of {@code size}.
	 * @param isNew whether the entry adds a key to the namespace
	 * @throws StoreQuotaException if the namespace would hold too many entries or bytes
	 */
	public void checkRoom(StoreUsage usage, boolean isNew, long replaced, long size) {
		if (isNew && usage.entries() + 1 > maxEntries) {
			throw new StoreQuotaException(
					"storage: the spell holds " + usage.entries() + " entries, the limit is " + maxEntries);
		}
		long bytes = usage.bytes() - replaced + size;
		if (bytes > maxTotalBytes) {
			throw new StoreQuotaException(
					"storage: the spell would hold " + bytes + " bytes, the limit is " + maxTotalBytes + " bytes");
		}
	}

	private static long utf8Length(String s) {
		if (s == null) {
			return 0;
		}
		// counting, not encoding: no copy of a value near the limit
		long n = 0;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c < 0x80) {
				n++;
			}
			else if (c < 0x800) {
				n += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
				n += 4;
				i++;
			}
			else {
				n += 3;
			}
		}
		return n;
	}

}
