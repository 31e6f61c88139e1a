package io.llmspell.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.llmspell.run.InvalidOptionException;
import io.llmspell.run.RunOptions;
import io.llmspell.run.RunRejectedException;
import io.llmspell.run.RunService;
import io.llmspell.run.SpellRun;
import io.llmspell.spell.BrokenSpellException;
import io.llmspell.spell.InvalidParameterException;
import io.llmspell.spell.Spell;
import io.llmspell.spell.SpellCatalog;
import io.llmspell.spell.SpellParameterBinder;
import io.llmspell.spell.UnknownSpellException;

/**
 * The command line, in the server's jar:
 * {@code java -jar llmspell.jar run hello --param name=Ada}. It starts the same
 * application without a web server (and lazily, so only what a run needs is built) and
 * runs the spell through the same {@link RunService} as the HTTP API.
 */
public final class LlmspellCli {

	static final Set<String> COMMANDS = Set.of("run", "list", "help", "--help", "-h");

	public static final int OK = 0;

	public static final int FAILED = 1;

	public static final int USAGE = 2;

	/**
	 * Settings for a one-shot process. They take precedence over {@code application.yaml}
	 * (whose server values they replace) and give way to the environment and the command
	 * line.
	 */
	private static final Map<String, Object> CLI_SETTINGS = Map.of(
			// stdout is the spell's: the application's own logs go to stderr, warnings
			// only
			"logging.config", "classpath:io/llmspell/cli/logback-cli.xml",
			// one run reads the folder once
			"llmspell.spells.refresh-interval", "0",
			// Ctrl-C cancels the run at once
			"llmspell.shutdown.grace-period", "0s");

	private LlmspellCli() {
	}

	/**
	 * Whether these arguments are for the command line; else the server starts, which it
	 * does only for no arguments or Spring options alone ({@code --server.port=9090}).
	 * Anything else (a mistyped command: {@code frobnicate}) is the command line's, which
	 * prints the usage and exits 2.
	 */
	public static boolean handles(String[] args) {
		for (String arg : args) {
			if (!arg.startsWith("--") || COMMANDS.contains(arg)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Runs the command and returns the exit status; prints to {@code out} and
	 * {@code err}, never exits.
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		CliArguments arguments;
		try {
			arguments = CliArguments.parse(args);
		}
		catch (UsageException ex) {
			err.println("llmspell: " + ex.getMessage());
			err.println(CliArguments.USAGE);
			return USAGE;
		}
		if (arguments.command().equals("help")) {
			out.println(CliArguments.USAGE);
			return OK;
		}
		try (ConfigurableApplicationContext context = start(arguments)) {
			return arguments.command().equals("list") ? list(context, out, err) : run(context, arguments, out, err);
		}
		catch (UnknownSpellException | InvalidParameterException | InvalidOptionException ex) {
			// the messages a 400 or 404 would carry
			err.println("llmspell: " + ex.getMessage());
			return USAGE;
		}
		catch (BrokenSpellException ex) {
			// the command is right, the spell's files are not: the message a 409 carries
			err.println("llmspell: " + ex.getMessage());
			return FAILED;
		}
		catch (RuntimeException ex) {
			err.println("llmspell: " + ex);
			return FAILED;
		}
	}

	private static ConfigurableApplicationContext start(CliArguments arguments) {
		StandardEnvironment environment = new StandardEnvironment();
		// right after the OS environment: above application.yaml, which Spring Boot adds
		// later
		environment.getPropertySources()
			.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new MapPropertySource("llmspellCli", CLI_SETTINGS));
		return new SpringApplicationBuilder(CliConfiguration.class).web(WebApplicationType.NONE)
			.environment(environment)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.lazyInitialization(true)
			.run(arguments.springArgs().toArray(String[]::new));
	}

	private static int list(ConfigurableApplicationContext context, PrintStream out, PrintStream err) {
		SpellCatalog catalog = context.getBean(SpellCatalog.class);
		for (Spell spell : catalog.list()) {
			out.println(spell.name() + "\t" + spell.version() + "\t" + nullToEmpty(spell.description()));
		}
		catalog.problems().forEach((name, problem) -> err.println("broken: " + name + ": " + problem));
		return OK;
	}

	private static int run(ConfigurableApplicationContext context, CliArguments arguments, PrintStream out,
			PrintStream err) {
		Spell spell = context.getBean(SpellCatalog.class).get(arguments.spell());
		Map<String, Object> params = context.getBean(SpellParameterBinder.class).bind(spell, null, arguments.params());
		Map<String, Object> limits = new LinkedHashMap<>();
		if (arguments.timeout() != null) {
			limits.put("timeout", arguments.timeout());
		}
		RunOptions options = new RunOptions(arguments.provider(), arguments.model(), limits, false);
		SpellRun run;
		try {
			run = context.getBean(RunService.class).start(spell, params, options);
		}
		catch (RunRejectedException ex) {
			err.println("llmspell: " + ex.getMessage());
			return FAILED;
		}
		EventPrinter printer = new EventPrinter(out, err);
		run.events().doOnNext(printer::print).blockLast();
		out.flush();
		return run.outcome().ok() ? OK : FAILED;
	}

	private static String nullToEmpty(String text) {
		return (text != null) ? text : "";
	}

}
