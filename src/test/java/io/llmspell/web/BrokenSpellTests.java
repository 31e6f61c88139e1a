package io.llmspell.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service with its own spells folder, refreshed on its schedule: a spell with a
 * syntax error is listed as broken, running it is a 409 problem naming file:line, and
 * fixing the file makes it run, without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "llmspell.llm.provider=mock", "llmspell.llm.mock.latency=0ms",
				"llmspell.spells.refresh-interval=200ms" })
@AutoConfigureWebTestClient(timeout = "30s")
class BrokenSpellTests {

	private static final Path SPELLS = tempDir();

	@DynamicPropertySource
	static void spells(DynamicPropertyRegistry registry) {
		write("fragile/spell.yaml", "name: fragile\nversion: 1.0.0\ndescription: breaks and heals\n");
		write("fragile/main.lua", "local greeting = 'hi'\nprint(greeting)\nreturn = greeting\n");
		registry.add("llmspell.spells.dir", SPELLS::toString);
	}

	@Autowired
	WebTestClient client;

	@Test
	void aBrokenSpellIsListedRefusedWith409AndRunsOnceFixed() {
		client.get()
			.uri("/spells")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].name")
			.isEqualTo("fragile")
			.jsonPath("$[0].status")
			.isEqualTo("broken")
			.jsonPath("$[0].error.file")
			.isEqualTo("main.lua")
			.jsonPath("$[0].error.line")
			.isEqualTo(3);

		for (String uri : new String[] { "/spells/fragile/run", "/spells/fragile/runs" }) {
			client.post()
				.uri(uri)
				.accept(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON)
				.exchange()
				.expectStatus()
				.isEqualTo(409)
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.title")
				.isEqualTo("Broken spell")
				.jsonPath("$.status")
				.isEqualTo(409)
				.jsonPath("$.spell")
				.isEqualTo("fragile")
				.jsonPath("$.file")
				.isEqualTo("main.lua")
				.jsonPath("$.line")
				.isEqualTo(3)
				.jsonPath("$.instance")
				.isEqualTo(uri)
				.jsonPath("$.detail")
				.value((String detail) -> assertThat(detail).startsWith("spell 'fragile' is broken: main.lua:3: ")
					.doesNotContain("Exception"));
		}

		write("fragile/main.lua", "local greeting = 'hi'\nprint(greeting)\nreturn greeting\n");

		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> "ok".equals(status()));
		client.post()
			.uri("/spells/fragile/run")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ok")
			.jsonPath("$.result")
			.isEqualTo("hi")
			.jsonPath("$.output[0]")
			.isEqualTo("hi");
	}

	private String status() {
		return client.get()
			.uri("/spells/fragile")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(SpellView.class)
			.returnResult()
			.getResponseBody()
			.status();
	}

	private static void write(String relative, String content) {
		try {
			Path file = SPELLS.resolve(relative);
			Files.createDirectories(file.getParent());
			// a later modification time, whatever the clock's granularity
			long before = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
			Files.writeString(file, content);
			if (Files.getLastModifiedTime(file).toMillis() <= before) {
				Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(before + 5_000));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("llmspell-broken-spell");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
