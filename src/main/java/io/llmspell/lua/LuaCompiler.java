package io.llmspell.lua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	private static final Pattern UNEXPECTED_SYMBOL = Pattern.compile("unexpected symbol (\\d+) \\(.\\)");

	/** Lua 5.2's token names (llex.c), from its first reserved token code on. */
	private static final String[] TOKENS = { "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
			"goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while", "..",
			"...", "==", ">=", "<=", "~=", "::", "<eof>", "<number>", "<name>", "<string>" };

	private static final int FIRST_RESERVED = 257;

	/** The index of {@code <eof>}: the names from here on are shown without quotes. */
	private static final int EOS = 29;

	private LuaCompiler() {
	}

	/**
	 * Compiles a spell's own file; {@code chunkName} is what messages and tracebacks
	 * show.
	 */
	public static Prototype compile(InputStream source, String chunkName) throws IOException {
		try {
			return LuaC.instance.compile(new BoundedSource(source, chunkName, () -> {
			}), chunkName);
		}
		catch (LuaError ex) {
			throw new LuaError(cleanMessage(ex.getMessage(), chunkName));
		}
	}

	/**
	 * Compiles a chunk for {@code load}: errors, at compile time and at run time, name it
	 * by {@code displayName} (Lua's {@code chunkid} of its chunk name).
	 * {@code checkpoint} may throw to stop the compiler.
	 */
	static Prototype compile(InputStream source, String displayName, Runnable checkpoint) throws IOException {
		// LuaJ's lexer shows "=name" as name; its run-time messages show the source as
		// is.
		Prototype prototype;
		try {
			prototype = LuaC.instance.compile(new BoundedSource(source, displayName, checkpoint), "=" + displayName);
		}
		catch (LuaError ex) {
			throw new LuaError(cleanMessage(ex.getMessage(), displayName));
		}
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

	/**
	 * LuaJ's messages where they differ from Lua's: a token shown by its code
	 * ({@code unexpected symbol 286 (?)}) and an internal limit reported as
	 * {@code compiler assert failed}.
	 */
	static String cleanMessage(String message, String displayName) {
		if (message == null || message.equals("compiler assert failed")) {
			return displayName + ": chunk too large for the compiler (too many constants or instructions)";
		}
		Matcher matcher = UNEXPECTED_SYMBOL.matcher(message);
		if (matcher.find()) {
			int token = Integer.parseInt(matcher.group(1));
			return matcher.replaceFirst(Matcher.quoteReplacement("unexpected symbol near " + tokenText(token)));
		}
		return message;
	}

	private static String tokenText(int token) {
		if (token < FIRST_RESERVED) {
			return (token < ' ') ? "'<\\" + token + ">'" : "'" + (char) token + "'";
		}
		int index = token - FIRST_RESERVED;
		if (index >= TOKENS.length) {
			return "'?'";
		}
		return (index < EOS) ? "'" + TOKENS[index] + "'" : TOKENS[index];
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
