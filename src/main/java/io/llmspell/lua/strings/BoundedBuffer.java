package io.llmspell.lua.strings;

import java.util.Arrays;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;

/**
 * A growing byte buffer that refuses to grow past a limit, so a result is rejected before
 * it exhausts the heap.
 */
final class BoundedBuffer {

	private final long limit;

	private final String function;

	private final StringBudget budget;

	private byte[] bytes;

	private int length;

	/**
	 * @param function the qualified function name for the error message, e.g.
	 * {@code "string.gsub"}
	 * @param budget told first when the result would pass the limit, so that the run's
	 * limit applies (as for {@code ..} and {@code string.rep})
	 */
	BoundedBuffer(int initialCapacity, long limit, String function, StringBudget budget) {
		this.limit = limit;
		this.function = function;
		this.budget = budget;
		this.bytes = new byte[(int) Math.max(16, Math.min(initialCapacity, limit))];
	}

	int length() {
		return length;
	}

	void append(int b) {
		if (length == bytes.length) {
			ensureRoom(1);
		}
		bytes[length++] = (byte) b;
	}

	void append(byte[] src, int offset, int count) {
		ensureRoom(count);
		System.arraycopy(src, offset, bytes, length, count);
		length += count;
	}

	void append(LuaString s) {
		append(s.m_bytes, s.m_offset, s.m_length);
	}

	/** The contents as a Lua string; the buffer must not be used afterwards. */
	LuaString toLuaString() {
		if (bytes.length - length > length / 4) {
			bytes = Arrays.copyOf(bytes, length); // don't keep up to half the array as
													// slack
		}
		return LuaString.valueUsing(bytes, 0, length);
	}

	private void ensureRoom(int more) {
		long needed = (long) length + more;
		if (needed > limit) {
			budget.tooLarge(function, "more than " + limit);
			throw new LuaError(function + ": result too large (more than " + limit + " bytes)");
		}
		if (needed > bytes.length) {
			long grown = Math.max(needed, 2L * bytes.length);
			bytes = Arrays.copyOf(bytes, (int) Math.min(grown, limit));
		}
	}

}
