package io.llmspell.spell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;
import org.slf4j.LoggerFactory;

import static io.llmspell.spell.SpellFolders.spell;
import static io.llmspell.spell.SpellFolders.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SpellLoaderTests {

	@TempDir
	Path root;

	private final SpellLoader loader = new SpellLoader();

	@Test
	void readsEveryFieldOfSpellYamlAndTheReadme() {
		write(root, "demo/spell.yaml", """
				name: demo
				version: 2.1.0
				description: A demo
				author: Ada
				tags: [example, demo]
				limits: {timeout: 5s, max-instructions: 1000000}
				""");
		write(root, "demo/main.lua", "return 1");
		write(root, "demo/README.md", "# demo\nHow to use it.\n");

		Spell spell = loader.load(root.resolve("demo"));

		assertThat(spell.name()).isEqualTo("demo");
		assertThat(spell.version()).isEqualTo("2.1.0");
		assertThat(spell.description()).isEqualTo("A demo");
		assertThat(spell.author()).isEqualTo("Ada");
		assertThat(spell.tags()).containsExactly("example", "demo");
		assertThat(spell.limits())
			.containsExactlyInAnyOrderEntriesOf(Map.of("timeout", "5s", "max-instructions", 1000000));
		assertThat(spell.readme()).isEqualTo("# demo\nHow to use it.\n");
		assertThat(spell.entry()).isEqualTo("main.lua");
		assertThat(spell.directory()).isEqualTo(root.resolve("demo"));
		assertThat(spell.parameters()).isEmpty();
		assertThat(spell.modules()).isEmpty();
	}

	@Test
	void missingOptionalFieldsAndReadmeAreEmptyOrNull() {
		write(root, "bare/spell.yaml", "");
		write(root, "bare/main.lua", "return 1");

		Spell spell = loader.load(root.resolve("bare"));

		assertThat(spell.name()).isEqualTo("bare");
		assertThat(spell.version()).isNull();
		assertThat(spell.readme()).isNull();
		assertThat(spell.tags()).isEmpty();
		assertThat(spell.limits()).isEmpty();
	}

	@Test
	void aNumericVersionIsKeptAsText() {
		write(root, "v/spell.yaml", "version: 1.0\n");
		write(root, "v/main.lua", "return 1");

		assertThat(loader.load(root.resolve("v")).version()).isEqualTo("1.0");
	}

	@Test
	void theFolderNameWinsOverADifferentNameInTheYamlWithAWarning() {
		write(root, "folder-name/spell.yaml", "version: 1\nname: other-name\n");
		write(root, "folder-name/main.lua", "return 1");
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		Logger loaderLog = (Logger) LoggerFactory.getLogger(SpellLoader.class);
		logs.start();
		loaderLog.addAppender(logs);
		try {
			assertThat(loader.load(root.resolve("folder-name")).name()).isEqualTo("folder-name");
		}
		finally {
			loaderLog.detachAppender(logs);
		}
		assertThat(logs.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).isEqualTo(root.resolve("folder-name/spell.yaml")
					+ ":2: name 'other-name' differs from the folder's; the spell is served as 'folder-name'");
		});
	}

	@Test
	void anUnknownKeyIsWarnedAboutAtTheKeysLineNotItsValues() {
		write(root, "extra/spell.yaml", """
				name: extra
				# a comment
				extras:
				  colour: blue
				  size: 3
				emtpy:
				version: 1.0.0
				""");
		write(root, "extra/main.lua", "return 1");

		List<String> warnings = warningsWhileLoading(root.resolve("extra"));

		Path yaml = root.resolve("extra/spell.yaml");
		assertThat(warnings).containsExactly(yaml + ":3: unknown key 'extras' ignored",
				yaml + ":6: unknown key 'emtpy' ignored");
	}

	@Test
	void aNameOnTheLineBelowItsKeyIsWarnedAboutAtTheKey() {
		write(root, "folded/spell.yaml", "version: 1\nname:\n  other name\n");
		write(root, "folded/main.lua", "return 1");

		assertThat(warningsWhileLoading(root.resolve("folded"))).singleElement()
			.asString()
			.startsWith(root.resolve("folded/spell.yaml") + ":2: name 'other name' differs");
	}

	private List<String> warningsWhileLoading(Path folder) {
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		Logger loaderLog = (Logger) LoggerFactory.getLogger(SpellLoader.class);
		logs.start();
		loaderLog.addAppender(logs);
		try {
			loader.load(folder);
		}
		finally {
			loaderLog.detachAppender(logs);
		}
		return logs.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	@Test
	void readsParametersInTheListForm() {
		write(root, "list/spell.yaml", """
				parameters:
				  - name: count
				    type: integer
				    description: How many
				    required: true
				  - name: mode
				    enum: [fast, slow]
				    default: slow
				""");
		write(root, "list/main.lua", "return 1");

		List<SpellParameter> parameters = loader.load(root.resolve("list")).parameters();

		assertThat(parameters).containsExactly(
				new SpellParameter("count", ParameterType.INTEGER, "How many", null, true, List.of()),
				new SpellParameter("mode", ParameterType.STRING, null, "slow", false, List.of("fast", "slow")));
	}

	@Test
	void readsParametersInTheMapFormInFileOrder() {
		write(root, "map/spell.yaml", """
				parameters:
				  count:
				    type: integer
				    description: How many
				    required: true
				  mode:
				    enum: [fast, slow]
				    default: slow
				  note:
				""");
		write(root, "map/main.lua", "return 1");

		List<SpellParameter> parameters = loader.load(root.resolve("map")).parameters();

		assertThat(parameters).containsExactly(
				new SpellParameter("count", ParameterType.INTEGER, "How many", null, true, List.of()),
				new SpellParameter("mode", ParameterType.STRING, null, "slow", false, List.of("fast", "slow")),
				new SpellParameter("note", ParameterType.STRING, null, null, false, List.of()));
	}

	@Test
	void defaultsAndEnumValuesAreConvertedToTheDeclaredType() {
		write(root, "typed/spell.yaml", """
				parameters:
				  i: {type: integer, default: 3, enum: [1, 3.0, "5"]}
				  n: {type: number, default: 1}
				  b: {type: boolean, default: true}
				  s: {type: string, default: "7"}
				  a: {type: array, default: [x, 2]}
				  o: {type: object, default: {k: v, 1: one}}
				""");
		write(root, "typed/main.lua", "return 1");

		Map<String, SpellParameter> byName = byName(loader.load(root.resolve("typed")).parameters());

		assertThat(byName.get("i").defaultValue()).isEqualTo(3L);
		assertThat(byName.get("i").allowed()).containsExactly(1L, 3L, 5L);
		assertThat(byName.get("n").defaultValue()).isEqualTo(1.0);
		assertThat(byName.get("b").defaultValue()).isEqualTo(Boolean.TRUE);
		assertThat(byName.get("s").defaultValue()).isEqualTo("7");
		assertThat(byName.get("a").defaultValue()).isEqualTo(List.of("x", 2));
		assertThat(byName.get("o").defaultValue()).isEqualTo(Map.of("k", "v", "1", "one"));
	}

	@Test
	void anUnknownTypeBreaksTheSpellAtItsLine() {
		write(root, "bad/spell.yaml", """
				name: bad
				parameters:
				  - name: x
				    type: float
				""");
		write(root, "bad/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad")))
			.satisfies((ex) -> {
				assertThat(ex.file()).isEqualTo(root.resolve("bad/spell.yaml"));
				assertThat(ex.line()).isEqualTo(4);
			})
			.withMessageStartingWith(root.resolve("bad/spell.yaml") + ":4: ")
			.withMessageContaining("parameter 'x'")
			.withMessageContaining("unknown type 'float'");
	}

	@Test
	void aDefaultNotOfTheTypeBreaksTheSpellAtItsLine() {
		write(root, "bad/spell.yaml", """
				parameters:
				  count:
				    type: integer
				    default: many
				""");
		write(root, "bad/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad")))
			.withMessage(
					root.resolve("bad/spell.yaml") + ":4: parameter 'count': default expected integer, got \"many\"");
	}

	@Test
	void aDefaultOutsideTheEnumBreaksTheSpell() {
		write(root, "bad/spell.yaml", """
				parameters:
				  mode: {enum: [fast, slow], default: medium}
				""");
		write(root, "bad/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad")))
			.withMessageContaining("parameter 'mode'")
			.withMessageContaining("must be one of \"fast\", \"slow\"; got \"medium\"");
	}

	@Test
	void anEnumValueNotOfTheTypeBreaksTheSpell() {
		write(root, "bad/spell.yaml", """
				parameters:
				  n: {type: integer, enum: [1, two]}
				""");
		write(root, "bad/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad")))
			.withMessageContaining("parameter 'n': enum value expected integer, got \"two\"");
	}

	@Test
	void aListParameterWithoutANameOrAnyTwiceBreaksTheSpell() {
		write(root, "nameless/spell.yaml", "parameters:\n  - type: integer\n");
		write(root, "nameless/main.lua", "return 1");
		write(root, "twice/spell.yaml", "parameters:\n  - name: a\n  - name: a\n");
		write(root, "twice/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("nameless")))
			.withMessageContaining("parameter #1 has no 'name'");
		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("twice")))
			.withMessageContaining("parameter 'a': declared twice");
	}

	@Test
	void badYamlNamesTheFileAndLine() {
		write(root, "bad/spell.yaml", "name: bad\ndescription: [unclosed\nversion: 1\n");
		write(root, "bad/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad")))
			.satisfies((ex) -> assertThat(ex.line()).isPositive())
			.withMessageMatching("\\Q" + root.resolve("bad/spell.yaml") + "\\E:\\d+: invalid YAML: .*");
	}

	@Test
	void duplicateKeysAreRefused() {
		write(root, "dup/spell.yaml", "version: 1\nversion: 2\n");
		write(root, "dup/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("dup")))
			.withMessageStartingWith(root.resolve("dup/spell.yaml") + ":2: ")
			.withMessageContaining("duplicate key");
	}

	@Test
	void yamlThatIsNotAMappingIsRefused() {
		write(root, "list/spell.yaml", "- a\n- b\n");
		write(root, "list/main.lua", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("list")))
			.withMessageContaining("expected a mapping");
	}

	@Test
	void aMissingSpellYamlOrEntryBreaksTheSpell() {
		write(root, "noyaml/main.lua", "return 1");
		write(root, "nomain/spell.yaml", "name: nomain\n");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("noyaml")))
			.withMessage(root.resolve("noyaml/spell.yaml") + ": missing");
		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("nomain")))
			.withMessage(root.resolve("nomain/main.lua") + ": missing");
	}

	@Test
	void aLuaSyntaxErrorNamesTheFileAndLine() {
		spell(root, "bad", "print('a')\nlocal x = 1\nlocal y = = 2\n");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad")))
			.satisfies((ex) -> {
				assertThat(ex.file()).isEqualTo(root.resolve("bad/main.lua"));
				assertThat(ex.line()).isEqualTo(3);
			})
			.withMessageStartingWith(root.resolve("bad/main.lua") + ":3: ")
			.withMessageNotContaining("[string");
	}

	@Test
	void aLuaSyntaxErrorInAModuleNamesTheModuleFile() {
		spell(root, "bad", "return 1");
		write(root, "bad/lib/a/b.lua", "local M = {}\n\nfunction M.f(\nreturn M\n");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad")))
			.withMessageStartingWith(root.resolve("bad/lib/a/b.lua") + ":4: ");
	}

	@Test
	void compilesTheEntryIntoRunnableCodeNamedAfterItsFile() {
		spell(root, "answer", "local function f(a, b) return a + b end\nreturn f(40, 2)\n");

		Spell spell = loader.load(root.resolve("answer"));

		assertThat(spell.main().source.tojstring()).isEqualTo("main.lua");
		Globals globals = JsePlatform.standardGlobals();
		LuaValue result = new LuaClosure(spell.main(), globals).call();
		assertThat(result.toint()).isEqualTo(42);
	}

	@Test
	void compilesEveryLibModuleKeyedByItsRequireName() {
		spell(root, "mods", "return 1");
		write(root, "mods/lib/util.lua", "return { name = 'util' }");
		write(root, "mods/lib/a/b.lua", "return { name = 'a.b' }");
		write(root, "mods/lib/notes.txt", "not lua");

		Spell spell = loader.load(root.resolve("mods"));

		assertThat(spell.modules()).containsOnlyKeys("util", "a.b");
		assertThat(spell.modules().get("util").source.tojstring()).isEqualTo("lib/util.lua");
		assertThat(spell.modules().get("a.b").source.tojstring()).isEqualTo("lib/a/b.lua");
		LuaValue module = new LuaClosure(spell.modules().get("a.b"), JsePlatform.standardGlobals()).call();
		assertThat(module.get("name").tojstring()).isEqualTo("a.b");
	}

	@Test
	void anotherEntryCanBeNamedButNotOutsideTheFolder() {
		write(root, "custom/spell.yaml", "entry: start.lua\n");
		write(root, "custom/start.lua", "return 1");
		write(root, "escape/spell.yaml", "entry: ../custom/start.lua\n");

		Spell spell = loader.load(root.resolve("custom"));
		assertThat(spell.entry()).isEqualTo("start.lua");
		assertThat(spell.main().source.tojstring()).isEqualTo("start.lua");
		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("escape")))
			.withMessageContaining("'entry' must be a file inside the spell's folder");
	}

	@Test
	void aFolderWithAnInvalidNameIsRefused() {
		spell(root, "bad name", "return 1");

		assertThatExceptionOfType(SpellLoadException.class).isThrownBy(() -> loader.load(root.resolve("bad name")))
			.withMessageContaining("not a valid spell name");
	}

	private static Map<String, SpellParameter> byName(List<SpellParameter> parameters) {
		return parameters.stream()
			.collect(java.util.stream.Collectors.toMap(SpellParameter::name, (parameter) -> parameter));
	}

}
