package io.llmspell.cli;

import java.io.PrintStream;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import io.llmspell.run.RunEvent;

/**
 * Prints a run's events for a terminal: what the spell prints ({@code output}, and
 * {@code chunk}s as they stream) on stdout, so it can be piped; logs, errors and the
 * final status line on stderr.
 */
final class EventPrinter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final PrintStream out;

	private final PrintStream err;

	// A streamed answer is printed as it comes, on one line that ends when anything else
	// is printed.
	private Object chunkCall;

	EventPrinter(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

	void print(RunEvent event) {
		Map<String, Object> data = event.data();
		switch (event.event()) {
			case "output" -> {
				endChunkLine();
				out.println(data.get("text"));
			}
			case "chunk" -> {
				if (chunkCall != null && !chunkCall.equals(data.get("callId"))) {
					endChunkLine();
				}
				out.print(data.get("text"));
				out.flush();
				chunkCall = data.get("callId");
			}
			case "callback" -> endChunkLine();
			case "log" -> {
				endChunkLine();
				Object fields = data.get("fields");
				boolean hasFields = fields instanceof Map<?, ?> map && !map.isEmpty();
				err.println(
						"[" + data.get("level") + "] " + data.get("message") + (hasFields ? " " + json(fields) : ""));
			}
			case "error" -> {
				endChunkLine();
				err.println("error (" + data.get("kind") + "): " + data.get("message") + lineSuffix(data));
			}
			case "done" -> {
				endChunkLine();
				err.println("done: " + data.get("status") + " in " + data.get("durationMs") + " ms");
			}
			default -> {
			}
		}
	}

	private void endChunkLine() {
		if (chunkCall != null) {
			out.println();
			out.flush();
			chunkCall = null;
		}
	}

	/** The line, when the message does not already say it ({@code main.lua:3: ...}). */
	private static String lineSuffix(Map<String, Object> data) {
		Object line = data.get("line");
		if (line == null || String.valueOf(data.get("message")).contains(":" + line + ":")) {
			return "";
		}
		return " (line " + line + ")";
	}

	private static String json(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (RuntimeException ex) {
			return String.valueOf(value);
		}
	}

}
