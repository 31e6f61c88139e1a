package io.llmspell.spell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.luaj.vm2.Prototype;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one spell folder: {@code spell.yaml}, the entry chunk and every
 * {@code lib/**}{@code /*.lua} module compiled once, and {@code README.md} if there is
 * one.
 */
public class SpellLoader {

	private static final Logger log = LoggerFactory.getLogger(SpellLoader.class);

	static final String SPELL_YAML = "spell.yaml";

	static final String DEFAULT_ENTRY = "main.lua";

	private static final String LIB = "lib";

	private static final Set<String> KNOWN_KEYS = Set.of("name", "version", "description", "author", "tags", "entry",
			"parameters", "limits");

	/**
	 * Loads the spell in {@code folder}; the folder's name is the spell's name.
	 * @throws SpellLoadException naming the file (and line, when known) of whatever makes
	 * it unusable
	 */
	public Spell load(Path folder) {
		Path dir = folder.normalize();
		String name = String.valueOf(dir.getFileName());
		if (!SpellNames.isValid(name)) {
			throw new SpellLoadException(dir, 0,
					"'" + name + "' is not a valid spell name ([A-Za-z0-9][A-Za-z0-9._-]*)");
		}
		YamlDocument doc = YamlDocument.read(dir.resolve(SPELL_YAML));
		warnAboutYaml(doc, name);
		List<SpellParameter> parameters = ParameterDeclarations.parse(doc);
		String entry = entry(doc, dir);
		Prototype main = LuaChunks.compile(dir.resolve(entry), entry);
		return new Spell(name, text(doc, "version"), text(doc, "description"), text(doc, "author"), tags(doc),
				parameters, limits(doc), readme(dir), dir, entry, main, modules(dir));
	}

	private static void warnAboutYaml(YamlDocument doc, String name) {
		String declared = text(doc, "name");
		if (declared != null && !declared.equals(name)) {
			log.warn("{}:{}: name '{}' differs from the folder's; the spell is served as '{}'", doc.file(),
					doc.keyLine("name"), declared, name);
		}
		for (String key : doc.data().keySet()) {
			if (!KNOWN_KEYS.contains(key)) {
				log.warn("{}:{}: unknown key '{}' ignored", doc.file(), doc.keyLine(key), key);
			}
		}
	}

	private static String text(YamlDocument doc, String key) {
		Object value = doc.data().get(key);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		// "version: 1.0" is read by YAML as a number; it is still meant as text.
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		throw doc.error("'" + key + "' must be text", key);
	}

	private static List<String> tags(YamlDocument doc) {
		Object value = doc.data().get("tags");
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list)
				|| list.stream().anyMatch((tag) -> tag == null || tag instanceof Map || tag instanceof List)) {
			throw doc.error("'tags' must be a list of words", "tags");
		}
		return list.stream().map(Object::toString).toList();
	}

	private static Map<String, Object> limits(YamlDocument doc) {
		Object value = doc.data().get("limits");
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw doc.error("'limits' must be a mapping", "limits");
		}
		// Kept raw: the runtime interprets them, and they may only lower its own limits.
		Map<String, Object> limits = new LinkedHashMap<>();
		map.forEach((key, limit) -> {
			if (limit != null) {
				limits.put(String.valueOf(key), limit);
			}
		});
		return limits;
	}

	private static String entry(YamlDocument doc, Path dir) {
		String entry = text(doc, "entry");
		if (entry == null || entry.isBlank()) {
			return DEFAULT_ENTRY;
		}
		// The entry must stay inside the spell's folder: "../other/main.lua" or "/etc/x"
		// are refused.
		Path resolved = dir.resolve(entry).normalize();
		if (Path.of(entry).isAbsolute() || !resolved.startsWith(dir) || resolved.equals(dir)) {
			throw doc.error("'entry' must be a file inside the spell's folder", "entry");
		}
		return dir.relativize(resolved).toString().replace('\\', '/');
	}

	private static String readme(Path dir) {
		Path file = dir.resolve("README.md");
		if (!Files.isRegularFile(file)) {
			return null;
		}
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new SpellLoadException(file, 0, "cannot be read: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Compiles {@code lib/**}{@code /*.lua} keyed by require-name: {@code lib/a/b.lua} is
	 * {@code "a.b"}.
	 */
	private static Map<String, Prototype> modules(Path dir) {
		Path lib = dir.resolve(LIB);
		if (!Files.isDirectory(lib)) {
			return Map.of();
		}
		List<Path> files;
		try (Stream<Path> walk = Files.walk(lib)) {
			files = walk.filter((file) -> file.getFileName().toString().endsWith(".lua"))
				.filter(Files::isRegularFile)
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new SpellLoadException(lib, 0, "cannot be read: " + ex.getMessage(), ex);
		}
		Map<String, Prototype> modules = new TreeMap<>();
		for (Path file : files) {
			String relative = lib.relativize(file).toString().replace('\\', '/');
			String module = relative.substring(0, relative.length() - ".lua".length()).replace('/', '.');
			if (modules.containsKey(module)) {
				throw new SpellLoadException(file, 0, "module '" + module + "' is defined twice");
			}
			modules.put(module, LuaChunks.compile(file, LIB + "/" + relative));
		}
		return modules;
	}

}
