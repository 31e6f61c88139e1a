package io.llmspell.run;

/**
 * Told of every run this instance admits, as it registers and before its first event.
 * {@link SpellRun#events()} replays every event from the first, so a listener that
 * subscribes there misses none (io.llmspell.cluster mirrors them to Redis so).
 */
public interface RunListener {

	void registered(SpellRun run);

}
