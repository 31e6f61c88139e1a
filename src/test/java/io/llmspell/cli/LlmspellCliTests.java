package io.llmspell.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line, run in-process: what it prints where, and its exit status. */
class LlmspellCliTests {

	@TempDir
	Path spells;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void runsHelloFromTheProjectsSpellsFolder() {
		int status = cli("run", "hello", "--param", "name=Ada", "--llmspell.spells.dir=spells");

		assertThat(status).as(err()).isZero();
		assertThat(out()).isEqualTo("Hello, Ada!\n");
		assertThat(err()).contains("[info] greeting {\"name\":\"Ada\"}").contains("done: ok in ");
	}

	@Test
	void parametersAreTypedByTheSpellsDeclaration() {
		spell("typed", "parameters:\n  n:\n    type: integer\n  flag:\n    type: boolean\n",
				"print(math.type and math.type(params.n) or type(params.n), params.n + 1, type(params.flag))");

		int status = cli("run", "typed", "--param", "n=41", "--param=flag=true", dir());

		assertThat(status).as(err()).isZero();
		assertThat(out()).matches("(integer|number)\t42\tboolean\n");
	}

	@Test
	void failingSpellExitsNonZeroWithTheLuaErrorAndItsLineOnStderr() {
		spell("broken", "", "print('before')\nlocal x = nil\nerror('boom')\n");

		int status = cli("run", "broken", dir());

		assertThat(status).isEqualTo(LlmspellCli.FAILED);
		assertThat(out()).isEqualTo("before\n");
		assertThat(err()).containsPattern("error \\(lua\\): \\S*:3: boom").contains("done: error");
	}

	@Test
	void timeoutEndsTheRunWithStatusOne() {
		spell("forever", "", "while true do sleep(0.01) end");

		int status = cli("run", "forever", "--timeout", "300ms", dir());

		assertThat(status).isEqualTo(LlmspellCli.FAILED);
		assertThat(err()).contains("error (limit)").contains("done: timeout");
	}

	@Test
	void streamedChunksPrintOnOneLineAsTheyCome() {
		spell("stream", "", """
				llm.stream_chat("hi", function(piece) end)
				print("after")
				""");

		int status = cli("run", "stream", dir(), "--llmspell.llm.mock.latency=40ms");

		assertThat(status).as(err()).isZero();
		assertThat(out())
			.isEqualTo("Mock answer to \"hi\" (#" + Integer.toHexString("hi".hashCode() & 0xffff) + ")\nafter\n");
	}

	@Test
	void listPrintsEverySpellAndWhichAreBroken() {
		spell("alpha", "", "return 1");
		spell("beta", "", "return (");

		int status = cli("list", dir());

		assertThat(status).isZero();
		assertThat(out()).isEqualTo("alpha\t1.0.0\ttest spell\n");
		assertThat(err()).contains("broken: beta: main.lua:1: ");
	}

	@Test
	void runningABrokenSpellFailsNamingTheFileAndLine() {
		spell("beta", "", "local x = 1\nreturn (");

		int status = cli("run", "beta", dir());

		assertThat(status).isEqualTo(LlmspellCli.FAILED);
		assertThat(err()).contains("llmspell: spell 'beta' is broken: main.lua:2: ").doesNotContain("Exception");
		assertThat(out()).isEmpty();
	}

	@Test
	void unknownSpellIsAUsageError() {
		int status = cli("run", "nope", dir());

		assertThat(status).isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("no spell named 'nope'");
		assertThat(out()).isEmpty();
	}

	@Test
	void badParameterIsAUsageErrorWithTheMessageA400Carries() {
		spell("typed", "parameters:\n  n:\n    type: integer\n    required: true\n", "return params.n");

		assertThat(cli("run", "typed", "--param", "n=abc", dir())).isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("parameter 'n': expected integer");
	}

	@Test
	void unknownParameterAndMissingRequiredOneAreUsageErrors() {
		spell("typed", "parameters:\n  n:\n    type: integer\n    required: true\n", "return params.n");

		assertThat(cli("run", "typed", "--param", "m=1", dir())).isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("parameter 'm': unknown parameter");
		assertThat(cli("run", "typed", dir())).isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("parameter 'n': is required");
	}

	@Test
	void badCommandLinesAreUsageErrors() {
		assertThat(cli("run")).isEqualTo(LlmspellCli.USAGE);
		assertThat(cli("run", "hello", "--bogus", "x")).isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("unknown option --bogus");
		assertThat(cli("run", "hello", "--param", "novalue")).isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("--param takes key=value");
		assertThat(cli("run", "hello", "--provider", "nope", "--llmspell.spells.dir=spells"))
			.isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("option 'provider': unknown provider 'nope'");
	}

	@Test
	void helpPrintsUsage() {
		assertThat(cli("help")).isZero();
		assertThat(out()).contains("usage: llmspell run <spell>");
	}

	@Test
	void theServerStartsWhenNoCommandIsGiven() {
		assertThat(LlmspellCli.handles(new String[0])).isFalse();
		assertThat(LlmspellCli.handles(new String[] { "--server.port=0" })).isFalse();
		assertThat(LlmspellCli.handles(new String[] { "run", "hello" })).isTrue();
	}

	@Test
	void aMistypedCommandPrintsUsageAndExitsTwoInsteadOfStartingTheServer() {
		assertThat(LlmspellCli.handles(new String[] { "frobnicate" })).isTrue();
		assertThat(LlmspellCli.handles(new String[] { "--server.port=0", "frobnicate" })).isTrue();
		assertThat(LlmspellCli.handles(new String[] { "--help" })).isTrue();

		assertThat(cli("frobnicate")).isEqualTo(LlmspellCli.USAGE);
		assertThat(err()).contains("unknown command 'frobnicate'").contains("usage: llmspell run");
	}

	@Test
	void aTimeoutWithoutAUnitIsSeconds() {
		spell("nap", "", "sleep(0.5) print('woke')");

		// 1 ms would end the run before it prints; 1 s lets it finish
		int status = cli("run", "nap", "--timeout", "1", dir());

		assertThat(status).as(err()).isEqualTo(LlmspellCli.OK);
		assertThat(out()).isEqualTo("woke\n");
	}

	private int cli(String... args) {
		out.reset();
		err.reset();
		try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			return LlmspellCli.run(args, stdout, stderr);
		}
	}

	private String out() {
		return out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return err.toString(StandardCharsets.UTF_8);
	}

	private String dir() {
		return "--llmspell.spells.dir=" + spells;
	}

	private void spell(String name, String yaml, String main) {
		try {
			Path folder = Files.createDirectories(spells.resolve(name));
			Files.writeString(folder.resolve("spell.yaml"),
					"name: " + name + "\nversion: 1.0.0\ndescription: test spell\n" + yaml);
			Files.writeString(folder.resolve("main.lua"), main);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
