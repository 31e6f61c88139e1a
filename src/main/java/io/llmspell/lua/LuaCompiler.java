package io.llmspell.lua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * LuaJ's compiler behind an input that bounds it. The compiler reads the source byte by
 * byte; the input checks the run's deadline and cancellation as it goes and ends a read
 * past the end of the source that never stops (LuaJ's lexer loops forever on a {@code \z}
 * escape at the very end of the source, {@code "'alo \z"}), as the syntax error Lua gives
 * there. Chunks compile to bytes, never through a Java String, so they are 8-bit clean.
 */
public final class LuaCompiler {

	/** Reads of the end of the source past which the lexer is known to be stuck. */
	private static final int MAX_READS_AT_END = 64;

	private static final int CHECK_INTERVAL = 4096;

	/** Lua 5.2's LUA_IDSIZE: the longest display name of a chunk, with its NUL. */
	private static final int LUA_IDSIZE = 60;

	private LuaCompiler() {
	}

	/**
	 * Compiles a spell's own file; {@code chunkName} is what messages and tracebacks
	 * show.
	 */
	public static Prototype compile(InputStream source, String chunkName) throws IOException {
		return LuaC.instance.compile(new BoundedSource(source, chunkName, () -> {
		}), chunkName);
	}

	/**
	 * Compiles a chunk for {@code load}: errors, at compile time and at run time, name it
	 * by {@code displayName} (Lua's {@code chunkid} of its chunk name).
	 * {@code checkpoint} may throw to stop the compiler.
	 */
	static Prototype compile(InputStream source, String displayName, Runnable checkpoint) throws IOException {
		// LuaJ's lexer shows "=name" as name; its run-time messages show the source as
		// is.
		Prototype prototype = LuaC.instance.compile(new BoundedSource(source, displayName, checkpoint),
				"=" + displayName);
		rename(prototype, LuaString.valueOf(displayName));
		return prototype;
	}

	/**
	 * The chunk name {@code load} gives a string chunk: the chunk itself (only as much of
	 * it as a display name can show).
	 */
	static String sourceName(LuaString chunk) {
		int length = Math.min(chunk.length(), LUA_IDSIZE);
		return new String(chunk.m_bytes, chunk.m_offset, length, StandardCharsets.UTF_8);
	}

	/**
	 * Lua 5.2's {@code luaO_chunkid}: {@code =name} shows as {@code name}, {@code @file}
	 * as {@code file}, any other source as {@code [string "its first line..."]}.
	 */
	static String displayName(String chunkName) {
		if (chunkName.startsWith("=")) {
			return chunkName.substring(1, Math.min(chunkName.length(), LUA_IDSIZE));
		}
		if (chunkName.startsWith("@")) {
			String file = chunkName.substring(1);
			return (file.length() < LUA_IDSIZE) ? file : "..." + file.substring(file.length() - (LUA_IDSIZE - 4));
		}
		int room = LUA_IDSIZE - "[string \"...\"]".length() - 1;
		int newline = chunkName.indexOf('\n');
		if (newline < 0 && chunkName.length() < room) {
			return "[string \"" + chunkName + "\"]";
		}
		int end = Math.min(newline < 0 ? chunkName.length() : newline, room);
		return "[string \"" + chunkName.substring(0, end) + "...\"]";
	}

	private static void rename(Prototype prototype, LuaString source) {
		prototype.source = source;
		if (prototype.p != null) {
			for (Prototype nested : prototype.p) {
				rename(nested, source);
			}
		}
	}

	private static final class BoundedSource extends InputStream {

		private final InputStream in;

		private final String name;

		private final Runnable checkpoint;

		private int countdown = CHECK_INTERVAL;

		private int line = 1;

		private int readsAtEnd;

		BoundedSource(InputStream in, String name, Runnable checkpoint) {
			this.in = in;
			this.name = name;
			this.checkpoint = checkpoint;
		}

		@Override
		public int read() throws IOException {
			if (--countdown <= 0) {
				countdown = CHECK_INTERVAL;
				checkpoint.run();
			}
			int c = in.read();
			if (c == '\n') {
				line++;
			}
			else if (c < 0 && ++readsAtEnd > MAX_READS_AT_END) {
				throw new LuaError(name + ":" + line + ": unfinished string near <eof>");
			}
			return c;
		}

	}

}
