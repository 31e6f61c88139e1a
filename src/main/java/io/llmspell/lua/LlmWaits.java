package io.llmspell.lua;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

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

	/**
	 * The next item of {@code pieces}, waiting in {@link TimedWait}s (not a timed poll of
	 * a blocking queue, which schedules a task of the JDK's delay scheduler for every
	 * wait, so for every chunk of a stream).
	 */
	Object take(Pieces pieces) {
		while (true) {
			run.guard().checkpoint();
			Object next = pieces.items.poll();
			if (next != null) {
				return next;
			}
			RunWaits.parkOneSlice(run.guard(), pieces::ready, pieces);
		}
	}

	/**
	 * A stream's items on their way to the thread that made it (and takes them): each one
	 * added unparks that thread.
	 */
	static final class Pieces {

		private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();

		private final Thread reader = Thread.currentThread();

		boolean ready() {
			return !items.isEmpty();
		}

		void add(Object item) {
			items.add(item);
			LockSupport.unpark(reader);
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
