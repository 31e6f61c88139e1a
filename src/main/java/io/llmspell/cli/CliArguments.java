package io.llmspell.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line:
 * {@code run <spell> [--param k=v]... [--provider p] [--model m] [--timeout t]},
 * {@code list} or {@code help}. Options of the form {@code --some.property=value} (a
 * dotted name) are Spring properties and go to the application as they would for the
 * server ({@code --llmspell.spells.dir=./my-spells}).
 *
 * @param params the {@code --param}s as a query string would give them: the binder types
 * them
 */
record CliArguments(String command, String spell, Map<String, List<String>> params, String provider, String model,
		String timeout, List<String> springArgs) {

	static final String USAGE = """
			usage: llmspell run <spell> [--param key=value]... [--provider name] [--model name] [--timeout seconds|500ms|2s]
			       llmspell list
			       llmspell help
			       llmspell [--server.port=8080]...       (no arguments or only --options: start the server)
			Spring properties may follow any command: --llmspell.spells.dir=./spells
			Exit status of run: 0 when the run ends ok, 1 when it ends otherwise, 2 for a bad command line.""";

	private static final Set<String> RUN_OPTIONS = Set.of("--param", "-p", "--provider", "--model", "--timeout");

	static CliArguments parse(String[] args) {
		if (args.length == 0) {
			throw new UsageException("no command");
		}
		String command = args[0];
		if (command.equals("--help") || command.equals("-h")) {
			command = "help";
		}
		if (!LlmspellCli.COMMANDS.contains(command)) {
			throw new UsageException("unknown command '" + command + "'");
		}
		String spell = null;
		Map<String, List<String>> params = new LinkedHashMap<>();
		String provider = null;
		String model = null;
		String timeout = null;
		List<String> springArgs = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (isSpringProperty(arg)) {
				springArgs.add(arg);
				continue;
			}
			String option = optionName(arg);
			if (option == null) {
				if (command.equals("run") && spell == null) {
					spell = arg;
					continue;
				}
				throw new UsageException("unexpected argument '" + arg + "'");
			}
			if (!command.equals("run")) {
				throw new UsageException("'" + command + "' takes no option " + option);
			}
			if (!RUN_OPTIONS.contains(option)) {
				throw new UsageException("unknown option " + option);
			}
			String value = inlineValue(arg);
			if (value == null) {
				if (i + 1 >= args.length) {
					throw new UsageException(option + " needs a value");
				}
				value = args[++i];
			}
			switch (option) {
				case "--param", "-p" -> addParam(params, value);
				case "--provider" -> provider = value;
				case "--model" -> model = value;
				case "--timeout" -> timeout = value;
				default -> throw new IllegalStateException(option);
			}
		}
		if (command.equals("run") && spell == null) {
			throw new UsageException("which spell? llmspell run <spell>");
		}
		return new CliArguments(command, spell, params, provider, model, timeout, List.copyOf(springArgs));
	}

	private static void addParam(Map<String, List<String>> params, String pair) {
		int eq = pair.indexOf('=');
		if (eq <= 0) {
			throw new UsageException("--param takes key=value, got '" + pair + "'");
		}
		String key = pair.substring(0, eq);
		if (params.containsKey(key)) {
			throw new UsageException("parameter '" + key + "' given twice");
		}
		params.put(key, List.of(pair.substring(eq + 1)));
	}

	/** {@code --a.b=c}: a name with a dot and a value, which no option of ours has. */
	private static boolean isSpringProperty(String arg) {
		if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
			return false;
		}
		return arg.substring(2, arg.indexOf('=')).contains(".");
	}

	private static String optionName(String arg) {
		if (!arg.startsWith("-") || arg.equals("-")) {
			return null;
		}
		int eq = arg.indexOf('=');
		return (eq < 0) ? arg : arg.substring(0, eq);
	}

	private static String inlineValue(String arg) {
		int eq = arg.indexOf('=');
		return (eq < 0) ? null : arg.substring(eq + 1);
	}

}
