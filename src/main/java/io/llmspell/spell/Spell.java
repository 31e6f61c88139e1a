package io.llmspell.spell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.luaj.vm2.Prototype;

/**
 * A spell as loaded from its folder: what {@code spell.yaml} says, and its Lua code
 * compiled once.
 *
 * @param name the folder's name, which is also the spell's name in URLs
 * @param limits the limits its {@code spell.yaml} asks for (they can only lower the
 * server's)
 * @param readme the text of its {@code README.md}, or null
 * @param entry the entry file's name ({@code main.lua} unless {@code spell.yaml} says
 * otherwise)
 * @param main the compiled entry chunk, instantiated into a fresh Lua state per run
 * @param modules compiled {@code lib/} modules by the name {@code require} takes
 * ({@code "util"}, {@code "a.b"})
 */
public record Spell(String name, String version, String description, String author, List<String> tags,
		List<SpellParameter> parameters, Map<String, Object> limits, String readme, Path directory, String entry,
		Prototype main, Map<String, Prototype> modules) {

	public Spell {
		tags = List.copyOf(tags);
		parameters = List.copyOf(parameters);
		limits = Map.copyOf(limits);
		modules = Map.copyOf(modules);
	}

}
