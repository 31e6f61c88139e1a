package io.llmspell.spell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.CoerceJavaToLua;
import org.luaj.vm2.lib.jse.JsePlatform;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spells shipped in {@code spells/} load, and run in a bare Lua state that stands in
 * for the runtime (only {@code params}, {@code print}, {@code log} and {@code require} of
 * the spell's modules).
 */
class ExampleSpellsTests {

	private final SpellCatalog catalog = new SpellCatalog(new SpellProperties(Path.of("spells"), Duration.ZERO));

	private final SpellParameterBinder binder = new SpellParameterBinder();

	private final List<String> printed = new ArrayList<>();

	@Test
	void bothExampleSpellsLoad() {
		assertThat(catalog.problems()).isEmpty();
		assertThat(catalog.list()).extracting(Spell::name).contains("hello", "typed-params");
	}

	@Test
	void helloGreetsTheWorldByDefault() {
		Spell hello = catalog.get("hello");
		assertThat(hello.version()).isEqualTo("1.0.0");
		assertThat(hello.tags()).containsExactly("example");
		assertThat(hello.readme()).contains("# hello");
		assertThat(hello.parameters()).singleElement()
			.satisfies((p) -> assertThat(p.defaultValue()).isEqualTo("world"));

		LuaValue result = run(hello, binder.bind(hello, null, Map.of("name", List.of("Ada"))));

		assertThat(printed).containsExactly("Hello, Ada!");
		assertThat(result.get("greeting").tojstring()).isEqualTo("Hello, Ada!");
		assertThat(result.get("length").toint()).isEqualTo(3);
	}

	@Test
	void typedParamsDeclaresItsParametersInTheMapFormAndUsesItsModule() {
		Spell spell = catalog.get("typed-params");
		assertThat(spell.parameters()).extracting(SpellParameter::name)
			.containsExactly("count", "ratio", "shout", "mode", "tags", "meta");
		assertThat(spell.parameters()).extracting(SpellParameter::type)
			.containsExactly(ParameterType.INTEGER, ParameterType.NUMBER, ParameterType.BOOLEAN, ParameterType.STRING,
					ParameterType.ARRAY, ParameterType.OBJECT);
		assertThat(spell.modules()).containsOnlyKeys("fmt");

		Map<String, Object> params = binder.bind(spell, Map.of("shout", true, "meta", Map.of("k", "v")),
				Map.of("count", List.of("3"), "tags", List.of("[\"a\",\"b\"]")));
		LuaValue result = run(spell, params);

		assertThat(printed).containsExactly("count\t3\tnumber", "ratio\t0.5\tnumber", "shout\ttrue\tboolean",
				"mode\tfast\tstring", "tags\t{a, b}\ttable", "meta\t{k=v}\ttable");
		assertThat(result.get("count").toint()).isEqualTo(3);
		assertThat(result.get("mode").tojstring()).isEqualTo("FAST");
	}

	private LuaValue run(Spell spell, Map<String, Object> params) {
		Globals globals = JsePlatform.standardGlobals();
		LuaTable luaParams = new LuaTable();
		params.forEach((name, value) -> luaParams.set(name, toLua(value)));
		globals.set("params", luaParams);
		globals.set("print", new VarArgFunction() {
			@Override
			public Varargs invoke(Varargs args) {
				List<String> parts = new ArrayList<>();
				for (int i = 1; i <= args.narg(); i++) {
					parts.add(globals.get("tostring").call(args.arg(i)).tojstring());
				}
				printed.add(String.join("\t", parts));
				return NONE;
			}
		});
		LuaTable log = new LuaTable();
		log.set("info", new VarArgFunction() {
			@Override
			public Varargs invoke(Varargs args) {
				return NONE;
			}
		});
		globals.set("log", log);
		LuaTable preload = globals.get("package").get("preload").checktable();
		spell.modules().forEach((name, prototype) -> preload.set(name, new LuaClosure(prototype, globals)));
		return new LuaClosure(spell.main(), globals).call();
	}

	private static LuaValue toLua(Object value) {
		if (value instanceof List<?> list) {
			LuaTable table = new LuaTable();
			list.forEach((element) -> table.insert(0, toLua(element)));
			return table;
		}
		if (value instanceof Map<?, ?> map) {
			LuaTable table = new LuaTable();
			map.forEach((key, element) -> table.set(String.valueOf(key), toLua(element)));
			return table;
		}
		if (value instanceof Long number) {
			return LuaValue.valueOf(number.doubleValue());
		}
		return CoerceJavaToLua.coerce(value);
	}

}
