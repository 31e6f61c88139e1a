package io.llmspell.spell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;

import io.llmspell.lua.LuaCompiler;

/** Compiles Lua source files once into prototypes that each run instantiates. */
final class LuaChunks {

	// LuaJ reports syntax errors as [string "main.lua"]:3: message (or main.lua:3:
	// message).
	private static final Pattern SYNTAX_ERROR = Pattern.compile("(?s)^(?:\\[string \".*?\"\\]|[^:]*):(\\d+): (.*)$");

	private LuaChunks() {
	}

	/**
	 * Compiles {@code file} under {@code chunkName}, the name Lua error messages and
	 * tracebacks show.
	 * @throws SpellLoadException naming the file and line of a syntax error, or a file
	 * that cannot be read
	 */
	static Prototype compile(Path file, String chunkName) {
		try (InputStream in = Files.newInputStream(file)) {
			return LuaCompiler.compile(in, chunkName);
		}
		catch (NoSuchFileException ex) {
			throw new SpellLoadException(file, 0, "missing", ex);
		}
		catch (IOException ex) {
			throw new SpellLoadException(file, 0, "cannot be read: " + ex.getMessage(), ex);
		}
		catch (LuaError ex) {
			String message = String.valueOf(ex.getMessage());
			Matcher matcher = SYNTAX_ERROR.matcher(message);
			if (matcher.matches()) {
				throw new SpellLoadException(file, Integer.parseInt(matcher.group(1)), matcher.group(2), ex);
			}
			throw new SpellLoadException(file, 0, message, ex);
		}
		catch (RuntimeException ex) {
			// A compiler bug on odd input must still only leave this one spell out.
			// the message only: the catalog's clients see it, and no Java class names
			throw new SpellLoadException(file, 0, "cannot be compiled: " + ex.getMessage(), ex);
		}
	}

}
