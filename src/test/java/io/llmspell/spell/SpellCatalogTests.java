package io.llmspell.spell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.lib.jse.JsePlatform;
import org.slf4j.LoggerFactory;

import static io.llmspell.spell.SpellFolders.spell;
import static io.llmspell.spell.SpellFolders.touchLater;
import static io.llmspell.spell.SpellFolders.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class SpellCatalogTests {

	@TempDir
	Path root;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger catalogLog = (Logger) LoggerFactory.getLogger(SpellCatalog.class);

	@BeforeEach
	void captureLogs() {
		logs.start();
		catalogLog.addAppender(logs);
	}

	@AfterEach
	void releaseLogs() {
		catalogLog.detachAppender(logs);
	}

	@Test
	void servesGoodSpellsSortedByName() {
		spell(root, "zeta", "return 'z'");
		spell(root, "alpha", "return 'a'");
		spell(root, "mid-1.0_x", "return 'm'");

		SpellCatalog catalog = catalog();

		assertThat(catalog.list()).extracting(Spell::name).containsExactly("alpha", "mid-1.0_x", "zeta");
		assertThat(catalog.find("alpha")).get().extracting(Spell::description).isEqualTo("test spell");
		assertThat(catalog.get("zeta").name()).isEqualTo("zeta");
	}

	@Test
	void brokenSpellsAreKeptAsBrokenWithFileAndLineWhileGoodOnesAreServed() {
		spell(root, "good", "return 1");
		spell(root, "syntax", "local a = 1\nlocal b = = 2\n");
		write(root, "yaml/spell.yaml", "name: yaml\nparameters: [unclosed\n");
		write(root, "yaml/main.lua", "return 1");

		SpellCatalog catalog = catalog();

		assertThat(catalog.list()).extracting(Spell::name).containsExactly("good");
		assertThat(catalog.find("syntax")).isEmpty();
		assertThat(catalog.find("yaml")).isEmpty();
		assertThat(catalog.brokenSpells()).extracting(BrokenSpell::name).containsExactly("syntax", "yaml");
		BrokenSpell syntax = catalog.broken("syntax").orElseThrow();
		assertThat(syntax.file()).isEqualTo("main.lua");
		assertThat(syntax.line()).isEqualTo(2);
		assertThat(syntax.message()).contains("near '='").doesNotContain("main.lua").doesNotContain("Exception");
		BrokenSpell yaml = catalog.broken("yaml").orElseThrow();
		assertThat(yaml.file()).isEqualTo("spell.yaml");
		assertThat(yaml.line()).isPositive();
		assertThat(yaml.message()).startsWith("invalid YAML: ");
		assertThat(catalog.broken("good")).isEmpty();
		assertThat(warnings()).anySatisfy((line) -> assertThat(line)
			.startsWith("Spell 'syntax' is broken: " + root.resolve("syntax/main.lua") + ":2: "));
		assertThat(warnings()).anySatisfy((line) -> assertThat(line)
			.matches("Spell 'yaml' is broken: \\Q" + root.resolve("yaml/spell.yaml") + "\\E:\\d+: invalid YAML: .*"));
		assertThat(catalog.problems()).containsOnlyKeys("syntax", "yaml");
		assertThat(catalog.problems().get("syntax")).startsWith("main.lua:2: ");
	}

	@Test
	void gettingABrokenSpellSaysWhereItIsBrokenNotThatItIsUnknown() {
		spell(root, "syntax", "local a = 1\nlocal b = = 2\n");
		SpellCatalog catalog = catalog();

		assertThatExceptionOfType(BrokenSpellException.class).isThrownBy(() -> catalog.get("syntax"))
			.withMessageStartingWith("spell 'syntax' is broken: main.lua:2: ")
			.satisfies((ex) -> assertThat(ex.broken().line()).isEqualTo(2));
	}

	@Test
	void aBrokenLibraryModuleNamesItsPathInTheFolder() {
		spell(root, "withlib", "return require('util')");
		write(root, "withlib/lib/util.lua", "return {\n  x = ,\n}\n");

		BrokenSpell broken = catalog().broken("withlib").orElseThrow();

		assertThat(broken.file()).isEqualTo("lib/util.lua");
		assertThat(broken.line()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "../x", "..", ".", "%2e%2e", "a/b", "a\\b", "", " x", "-x", ".hidden", "../good" })
	void invalidNamesFindNothing(String name) {
		spell(root, "good", "return 1");
		SpellCatalog catalog = catalog();

		assertThat(catalog.find(name)).isEmpty();
		assertThatExceptionOfType(UnknownSpellException.class).isThrownBy(() -> catalog.get(name))
			.satisfies((ex) -> assertThat(ex.spell()).isEqualTo(name));
	}

	@Test
	void invalidNamesNeverReachTheLoader() {
		AtomicInteger loads = new AtomicInteger();
		SpellLoader counting = new SpellLoader() {
			@Override
			public Spell load(Path folder) {
				loads.incrementAndGet();
				return super.load(folder);
			}
		};
		spell(root, "good", "return 1");
		SpellCatalog catalog = new SpellCatalog(properties(Duration.ZERO), counting);
		int afterStartup = loads.get();

		catalog.find("../good");
		catalog.find("good");
		catalog.find("missing");

		assertThat(afterStartup).isEqualTo(1);
		assertThat(loads).hasValue(1);
	}

	@Test
	void anUnknownNameIsAnUnknownSpell() {
		SpellCatalog catalog = catalog();

		assertThat(catalog.find("nope")).isEmpty();
		assertThatExceptionOfType(UnknownSpellException.class).isThrownBy(() -> catalog.get("nope"))
			.withMessage("no spell named 'nope'");
	}

	@Test
	void foldersWithInvalidNamesAndPlainFilesAreNotSpells() {
		spell(root, "good", "return 1");
		spell(root, ".hidden", "return 1");
		spell(root, "with space", "return 1");
		write(root, "file.lua", "return 1");

		assertThat(catalog().list()).extracting(Spell::name).containsExactly("good");
	}

	@Test
	void aFolderAddedAfterStartupIsFoundAfterRefresh() {
		SpellCatalog catalog = catalog();
		assertThat(catalog.find("late")).isEmpty();

		spell(root, "late", "return 1");
		catalog.refresh();

		assertThat(catalog.find("late")).isPresent();
	}

	@Test
	void aRemovedFolderIsGoneAfterRefresh() throws IOException {
		spell(root, "gone", "return 1");
		SpellCatalog catalog = catalog();
		assertThat(catalog.find("gone")).isPresent();

		Files.delete(root.resolve("gone/main.lua"));
		Files.delete(root.resolve("gone/spell.yaml"));
		Files.delete(root.resolve("gone"));
		catalog.refresh();

		assertThat(catalog.find("gone")).isEmpty();
		assertThat(catalog.list()).isEmpty();
	}

	@Test
	void aChangedMainLuaIsRecompiled() {
		Path main = spell(root, "calc", "return 1").resolve("main.lua");
		SpellCatalog catalog = catalog();
		assertThat(run(catalog.get("calc"))).isEqualTo(1);

		write(root, "calc/main.lua", "return 2");
		touchLater(main);
		catalog.refresh();

		assertThat(run(catalog.get("calc"))).isEqualTo(2);
	}

	@Test
	void anUnchangedFolderIsNotReloaded() {
		spell(root, "steady", "return 1");
		spell(root, "edited", "return 1");
		SpellCatalog catalog = catalog();
		Spell steady = catalog.get("steady");
		Spell edited = catalog.get("edited");

		write(root, "edited/README.md", "now with a readme");
		touchLater(root.resolve("edited/README.md"));
		catalog.refresh();

		assertThat(catalog.get("steady")).isSameAs(steady);
		assertThat(catalog.get("edited")).isNotSameAs(edited);
		assertThat(catalog.get("edited").readme()).isEqualTo("now with a readme");
	}

	@Test
	void aSpellBrokenByAnEditIsBrokenUntilFixed() {
		Path main = spell(root, "flaky", "return 1").resolve("main.lua");
		SpellCatalog catalog = catalog();

		write(root, "flaky/main.lua", "return = 1");
		touchLater(main);
		catalog.refresh();
		assertThat(catalog.find("flaky")).isEmpty();
		assertThat(catalog.broken("flaky")).isPresent();

		write(root, "flaky/main.lua", "return 3");
		touchLater(main);
		catalog.refresh();
		assertThat(catalog.find("flaky")).map(SpellCatalogTests::run).hasValue(3);
		assertThat(catalog.broken("flaky")).isEmpty();
		assertThat(catalog.brokenSpells()).isEmpty();
	}

	@Test
	void aBrokenSpellIsWarnedAboutOnceNotOnEveryScan() {
		spell(root, "broken", "return = 1");
		SpellCatalog catalog = catalog();

		catalog.refresh();
		catalog.refresh();

		assertThat(warnings()).filteredOn((line) -> line.contains("'broken'")).hasSize(1);
	}

	@Test
	void aMissingFolderServesNoSpellsAndIsWarnedAboutOnce() {
		SpellCatalog catalog = new SpellCatalog(new SpellProperties(root.resolve("absent"), Duration.ZERO));
		catalog.refresh();

		assertThat(catalog.list()).isEmpty();
		assertThat(catalog.find("anything")).isEmpty();
		assertThat(warnings()).filteredOn((line) -> line.contains("does not exist")).hasSize(1);
	}

	@Test
	void aFolderCreatedLaterIsPickedUp() {
		Path dir = root.resolve("later");
		SpellCatalog catalog = new SpellCatalog(new SpellProperties(dir, Duration.ZERO));

		spell(dir, "hello", "return 1");
		catalog.refresh();

		assertThat(catalog.find("hello")).isPresent();
	}

	@Test
	void refreshesOnItsOwnScheduleOnceStarted() {
		SpellCatalog catalog = new SpellCatalog(properties(Duration.ofMillis(50)));
		catalog.start();
		try {
			assertThat(catalog.isRunning()).isTrue();
			spell(root, "scheduled", "return 1");

			await().atMost(Duration.ofSeconds(5)).until(() -> catalog.find("scheduled").isPresent());
		}
		finally {
			catalog.stop();
		}
		assertThat(catalog.isRunning()).isFalse();
	}

	@Test
	void aZeroIntervalDisablesTheSchedule() {
		SpellCatalog catalog = catalog();
		catalog.start();

		assertThat(catalog.isRunning()).isFalse();
	}

	@Test
	void theListCannotBeChangedByItsCaller() {
		spell(root, "one", "return 1");
		List<Spell> spells = catalog().list();

		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(spells::clear);
	}

	private SpellCatalog catalog() {
		return new SpellCatalog(properties(Duration.ZERO));
	}

	private SpellProperties properties(Duration interval) {
		return new SpellProperties(root, interval);
	}

	private List<String> warnings() {
		return logs.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	private static int run(Spell spell) {
		return new LuaClosure(spell.main(), JsePlatform.standardGlobals()).call().toint();
	}

}
