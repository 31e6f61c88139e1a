package io.llmspell.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.llmspell.spell.SpellCatalog;
import io.llmspell.spell.SpellProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /spells} and {@code GET /spells/{name}} over a real catalog of a folder this
 * test writes: a broken spell is listed with where it is broken, not left out.
 */
@WebFluxTest(SpellController.class)
@Import(SpellCatalog.class)
class SpellControllerTests {

	/** What the slice's filters and the catalog are configured by. */
	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ AuthProperties.class, SpellProperties.class })
	static class Properties {

	}

	private static final Path SPELLS = tempDir();

	@DynamicPropertySource
	static void spells(DynamicPropertyRegistry registry) {
		registry.add("llmspell.spells.dir", SPELLS::toString);
		registry.add("llmspell.spells.refresh-interval", () -> "0");
	}

	@Autowired
	WebTestClient client;

	@Autowired
	SpellCatalog catalog;

	@BeforeEach
	void spellsFolder() throws IOException {
		FileSystemUtils.deleteRecursively(SPELLS);
		write("good/spell.yaml", "name: good\nversion: 1.0.0\ndescription: a good one\n");
		write("good/main.lua", "return 1\n");
		write("syntax/spell.yaml", "name: syntax\n");
		write("syntax/main.lua", "local a = 1\nlocal b = 2\nlocal c = = 3\n");
		write("yaml/spell.yaml", "name: yaml\ntags: [a, b\n");
		write("yaml/main.lua", "return 1\n");
		catalog.refresh();
	}

	@Test
	void theListHasEverySpellEachWithItsStatusAndTheBrokenOnesWithFileLineAndMessage() {
		client.get()
			.uri("/spells")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].name")
			.isEqualTo(java.util.List.of("good", "syntax", "yaml"))
			.jsonPath("$[0].status")
			.isEqualTo("ok")
			.jsonPath("$[0].description")
			.isEqualTo("a good one")
			.jsonPath("$[0].error")
			.doesNotExist()
			.jsonPath("$[1].status")
			.isEqualTo("broken")
			.jsonPath("$[1].error.file")
			.isEqualTo("main.lua")
			.jsonPath("$[1].error.line")
			.isEqualTo(3)
			.jsonPath("$[1].error.message")
			.value((String message) -> assertThat(message).contains("near '='")
				.doesNotContain("main.lua")
				.doesNotContain("Exception")
				.doesNotContain("at org."))
			.jsonPath("$[2].status")
			.isEqualTo("broken")
			.jsonPath("$[2].error.file")
			.isEqualTo("spell.yaml")
			.jsonPath("$[2].error.message")
			.value((String message) -> assertThat(message).startsWith("invalid YAML: "));
	}

	@Test
	void aBrokenSpellOnItsOwnIs200WithItsError() {
		client.get()
			.uri("/spells/syntax")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("syntax")
			.jsonPath("$.status")
			.isEqualTo("broken")
			.jsonPath("$.error.file")
			.isEqualTo("main.lua")
			.jsonPath("$.error.line")
			.isEqualTo(3)
			.jsonPath("$.inputSchema")
			.doesNotExist();
	}

	@Test
	void aSoundSpellOnItsOwnIsOkWithItsSchema() {
		client.get()
			.uri("/spells/good")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ok")
			.jsonPath("$.inputSchema.type")
			.isEqualTo("object");
	}

	@Test
	void anUnknownSpellIsStill404() {
		client.get()
			.uri("/spells/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("no spell named 'nope'");
	}

	@Test
	void fixingTheFileMakesItOkAgain() throws IOException {
		write("syntax/main.lua", "local a = 1\nreturn a\n");
		Files.setLastModifiedTime(SPELLS.resolve("syntax/main.lua"),
				java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
		catalog.refresh();

		client.get()
			.uri("/spells/syntax")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ok")
			.jsonPath("$.error")
			.doesNotExist();
	}

	private static void write(String relative, String content) throws IOException {
		Path file = SPELLS.resolve(relative);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("llmspell-spell-controller");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
