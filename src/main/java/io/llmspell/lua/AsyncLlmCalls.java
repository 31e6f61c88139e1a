package io.llmspell.lua;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import reactor.core.Disposable;

import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.ToolCall;
import io.llmspell.llm.Usage;
import io.llmspell.tools.ToolLoopException;

import static io.llmspell.lua.LuaKeys.key;

/**
 * The async calls of a run ({@code chat_async}, {@code complete_async}, and what is built
 * on them). A call subscribes and returns at once; each answer is posted to the run's
 * {@link EventLoop}. An answer with tool calls runs the tools there, on the spell's
 * thread, and sends the next turn; the final answer runs the callback. A call is pending
 * from its start until its callback ran (or it was cancelled), over all its turns.
 */
final class AsyncLlmCalls {

	private final LuaRun run;

	private final ToolRunner tools;

	private final Map<Integer, Pending> calls = new HashMap<>();

	AsyncLlmCalls(LuaRun run, ToolRunner tools) {
		this.run = run;
		this.tools = tools;
	}

	int start(LlmCall call, LuaValue onOk, LuaValue onErr) {
		run.loop().begin(true);
		Pending pending = new Pending(call, onOk, onErr);
		calls.put(call.id, pending);
		send(pending);
		return call.id;
	}

	private void send(Pending pending) {
		EventLoop loop = run.loop();
		run.usage().callStarted();
		pending.subscription = pending.call.provider.chat(pending.call.conversation.request()).subscribe((response) -> {
			pending.answeredNanos = System.nanoTime();
			loop.post(() -> turn(pending, response));
		}, (error) -> {
			pending.answeredNanos = System.nanoTime();
			loop.post(() -> finish(pending, null, LlmWaits.message(error, pending.call.provider.name())));
		});
	}

	/** On the Lua thread: one turn's answer arrived. */
	private void turn(Pending pending, ChatResponse response) {
		if (!calls.containsKey(pending.call.id)) {
			return; // cancelled after it completed
		}
		run.usage().add(response.usage());
		pending.model = (response.model() != null) ? response.model() : pending.model;
		List<ToolCall> toolCalls;
		try {
			toolCalls = pending.call.conversation.accept(response);
		}
		catch (ToolLoopException ex) {
			finish(pending, null, ex.getMessage());
			return;
		}
		if (toolCalls.isEmpty()) {
			try {
				finish(pending, pending.call.answer(response.text()), null);
			}
			catch (IllegalArgumentException ex) {
				finish(pending, null, ex.getMessage());
			}
			return;
		}
		tools.runTurn(pending.call, toolCalls);
		if (calls.containsKey(pending.call.id)) {
			send(pending);
		}
	}

	private void finish(Pending pending, Object answer, String error) {
		if (calls.remove(pending.call.id) == null) {
			return; // cancelled after it completed: no callback
		}
		run.loop().end(true);
		long now = System.nanoTime();
		long elapsedMs = TimeUnit.NANOSECONDS.toMillis(pending.answeredNanos - pending.call.startNanos);
		long queuedMs = TimeUnit.NANOSECONDS.toMillis(now - pending.answeredNanos);
		Usage usage = pending.call.usage();
		String provider = pending.call.provider.name();
		Map<String, Object> data = LuaValues.ordered();
		data.put("callId", pending.call.id);
		data.put("kind", pending.call.kind);
		data.put("ok", error == null);
		if (error == null) {
			data.put("result", answer);
		}
		else {
			data.put("error", error);
		}
		data.put("elapsedMs", elapsedMs);
		data.put("queuedMs", queuedMs);
		data.put("provider", provider);
		data.put("model", pending.model);
		data.put("usage", LlmCall.usageMap(usage));
		if (pending.call.conversation.steps() > 1) {
			data.put("steps", pending.call.conversation.steps());
		}
		run.emit("callback", data, 0);

		LuaTable info = new LuaTable();
		info.set(key("id"), LuaValue.valueOf(pending.call.id));
		info.set(key("provider"), LuaValue.valueOf(provider));
		info.set(key("model"), LuaValue.valueOf(pending.model));
		info.set(key("elapsed_ms"), LuaValue.valueOf(elapsedMs));
		info.set(key("queued_ms"), LuaValue.valueOf(queuedMs));
		info.set(key("dispatched_ms"), LuaValue.valueOf(elapsedMs + queuedMs));
		info.set(key("steps"), LuaValue.valueOf(pending.call.conversation.steps()));
		if (usage != null) { // not reported: info.usage is nil (unknown), not 0
			LuaTable usageTable = new LuaTable();
			usageTable.set(key("prompt_tokens"), LuaValue.valueOf(usage.promptTokens()));
			usageTable.set(key("completion_tokens"), LuaValue.valueOf(usage.completionTokens()));
			info.set(key("usage"), usageTable);
		}
		if (error == null) {
			pending.onOk.call(LlmCall.toLua(answer), info);
		}
		else if (pending.onErr.isfunction()) {
			pending.onErr.call(LuaValue.valueOf(error), info);
		}
	}

	boolean cancel(int id) {
		Pending pending = calls.remove(id);
		if (pending == null) {
			return false;
		}
		pending.subscription.dispose();
		run.loop().end(true);
		return true;
	}

	/** Aborts every call still in flight: the run is over. */
	void cancelAll() {
		for (Pending pending : new ArrayList<>(calls.values())) {
			if (pending.subscription != null) {
				pending.subscription.dispose();
			}
		}
		calls.clear();
	}

	private static final class Pending {

		final LlmCall call;

		final LuaValue onOk;

		final LuaValue onErr;

		volatile long answeredNanos;

		String model;

		Disposable subscription;

		Pending(LlmCall call, LuaValue onOk, LuaValue onErr) {
			this.call = call;
			this.onOk = onOk;
			this.onErr = onErr;
			this.model = call.model();
		}

	}

}
