package io.llmspell.lua;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;

/**
 * About how many bytes an event's data takes on the wire as JSON: string lengths, plus a
 * few bytes for each key, number and bracket. What {@code max-output-bytes} and the
 * retention of finished runs count.
 */
public final class EventSize {

	private EventSize() {
	}

	public static long of(Object data) {
		long bytes = 0;
		ArrayDeque<Object> pending = new ArrayDeque<>();
		pending.push((data != null) ? data : "");
		while (!pending.isEmpty()) {
			Object value = pending.pop();
			if (value instanceof CharSequence text) {
				bytes += text.length() + 2;
			}
			else if (value instanceof Map<?, ?> map) {
				bytes += 2;
				for (Map.Entry<?, ?> entry : map.entrySet()) {
					bytes += String.valueOf(entry.getKey()).length() + 4;
					if (entry.getValue() != null) {
						pending.push(entry.getValue());
					}
					else {
						bytes += 4;
					}
				}
			}
			else if (value instanceof Collection<?> list) {
				bytes += 2;
				for (Object item : list) {
					bytes += 1;
					if (item != null) {
						pending.push(item);
					}
					else {
						bytes += 4;
					}
				}
			}
			else {
				bytes += 8;
			}
		}
		return bytes;
	}

}
