/**
 * Spell runs as the service manages them: admission and threads
 * ({@link io.llmspell.run.RunService}), a run's state and numbered events
 * ({@link io.llmspell.run.SpellRun}), the runs an instance remembers
 * ({@link io.llmspell.run.RunRegistry}), the server's limits, metrics, the heap guard,
 * and the drain on shutdown.
 */
package io.llmspell.run;
