package io.llmspell.bench;

import java.util.Arrays;

import io.llmspell.bench.plain.PlainSseApp;

/**
 * {@code java -jar llmspell-bench.jar harness [--option=value...]} runs the benchmark
 * (see {@link Harness}); {@code java -jar llmspell-bench.jar plain [--server.port=...]}
 * starts the plain WebFlux SSE endpoint (the harness starts it itself).
 */
public final class BenchMain {

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		String command = (args.length > 0) ? args[0] : "harness";
		String[] rest = (args.length > 0) ? Arrays.copyOfRange(args, 1, args.length) : args;
		switch (command) {
			case "plain" -> PlainSseApp.main(rest);
			case "harness" -> System.exit(Harness.run(rest));
			default -> {
				System.err.println("usage: llmspell-bench.jar harness [--option=value...] | plain [--server.port=N]");
				System.exit(2);
			}
		}
	}

}
