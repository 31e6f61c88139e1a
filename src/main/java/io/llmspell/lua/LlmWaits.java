package io.llmspell.lua;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.llmspell.llm.LlmException;

/**
 * Waiting on the Lua thread for a blocking LLM call, in slices, checking the run's guard
 * between them: a cancelled or timed-out run stops waiting at once.
 */
final class LlmWaits {

	private final LuaRun run;

	LlmWaits(LuaRun run) {
		this.run = run;
	}

	/** The future's value; its failure as an {@link LlmException}. */
	<T> T await(CompletableFuture<T> future, String provider) {
		try {
			return RunWaits.await(run.guard(), future);
		}
		catch (ExecutionException ex) {
			throw asLlmException(ex.getCause(), provider);
		}
	}

	/** The next item of {@code queue}. */
	Object take(BlockingQueue<Object> queue) {
		while (true) {
			run.guard().checkpoint();
			try {
				Object next = queue.poll(RunWaits.slice(run.guard()), TimeUnit.NANOSECONDS);
				if (next != null) {
					return next;
				}
			}
			catch (InterruptedException ex) {
				throw run.guard().interrupted();
			}
		}
	}

	static LlmException asLlmException(Throwable error, String provider) {
		return (error instanceof LlmException llm) ? llm : new LlmException(provider, message(error, provider));
	}

	/** A failure as a spell sees it: an LLM error's message, else a short description. */
	static String message(Throwable error, String provider) {
		if (error instanceof LlmException) {
			return error.getMessage();
		}
		return provider + ": " + error.getClass().getSimpleName();
	}

}
