package io.llmspell.lua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import reactor.core.Disposable;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.LlmProviders;
import io.llmspell.llm.Usage;

/**
 * The {@code llm} module: the bridge from Lua to the providers. Blocking calls wait on
 * the Lua thread (checking the run's guard while they wait); async calls subscribe and
 * return at once, and their completions are posted to the run's {@link EventLoop}.
 */
final class LlmModule {

	private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final long DEFAULT_PROCESS_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final LuaRun run;

	private final LlmProviders providers;

	private final Map<Integer, AsyncCall> calls = new HashMap<>();

	private int lastId;

	private LlmProvider provider;

	private String model;

	LlmModule(LuaRun run, LlmProviders providers, LlmProvider provider, String model) {
		this.run = run;
		this.providers = providers;
		this.provider = provider;
		this.model = model;
	}

	String providerName() {
		return provider.name();
	}

	String model() {
		return model;
	}

	LuaTable table() {
		LuaTable llm = new LuaTable();
		llm.set("chat", LuaFunctions.named("chat", (args) -> {
			Call call = parse(args, 1, 2, null);
			return blocking(call);
		}));
		llm.set("complete", LuaFunctions.named("complete", (args) -> {
			Call call = parse(args, 1, 3, maxTokens(args.arg(2)));
			return blocking(call);
		}));
		llm.set("stream_chat", LuaFunctions.named("stream_chat", this::streamChat));
		llm.set("chat_async", LuaFunctions.named("chat_async", (args) -> startAsync("chat", args, 1, null)));
		llm.set("complete_async", LuaFunctions.named("complete_async",
				(args) -> startAsync("complete", args, 2, maxTokens(args.arg(2)))));
		llm.set("has_pending",
				LuaFunctions.named("has_pending", (args) -> LuaValue.valueOf(run.loop().pendingCalls() > 0)));
		llm.set("pending_count",
				LuaFunctions.named("pending_count", (args) -> LuaValue.valueOf(run.loop().pendingCalls())));
		llm.set("process_callbacks", LuaFunctions.named("process_callbacks", (args) -> processCallbacks(run, args)));
		llm.set("cancel", LuaFunctions.named("cancel", (args) -> LuaValue.valueOf(cancel(args.checkint(1)))));
		llm.set("list_providers", LuaFunctions.named("list_providers", (args) -> {
			LuaTable names = new LuaTable();
			providers.names().forEach((name) -> names.insert(0, LuaValue.valueOf(name)));
			return names;
		}));
		llm.set("get_provider", LuaFunctions.named("get_provider", (args) -> LuaValue.valueOf(provider.name())));
		llm.set("set_provider", LuaFunctions.named("set_provider", (args) -> {
			String name = args.checkjstring(1);
			return providers.find(name).map((found) -> {
				provider = found;
				model = found.defaultModel();
				return (Varargs) LuaValue.TRUE;
			})
				.orElseGet(() -> LuaFunctions
					.failure("unknown provider '" + name + "'; configured: " + providers.names()));
		}));
		llm.set("get_model", LuaFunctions.named("get_model", (args) -> LuaValue.valueOf(model)));
		llm.set("set_model", LuaFunctions.named("set_model", (args) -> {
			model = args.checkjstring(1);
			return LuaValue.TRUE;
		}));
		llm.set("list_models", LuaFunctions.named("list_models", (args) -> {
			try {
				List<String> models = await(provider.listModels().toFuture());
				return LuaValues.toLua(models);
			}
			catch (LlmException ex) {
				return LuaFunctions.failure(ex.getMessage());
			}
		}));
		return llm;
	}

	/**
	 * {@code process_callbacks([max_wait])}, shared by the {@code llm} and {@code async}
	 * modules.
	 */
	static Varargs processCallbacks(LuaRun run, Varargs args) {
		long wait = args.isnoneornil(1) ? DEFAULT_PROCESS_WAIT_NANOS : seconds(args.checkdouble(1));
		return LuaValue.valueOf(run.loop().tick(wait));
	}

	static long seconds(double seconds) {
		if (Double.isNaN(seconds) || seconds <= 0) {
			return 0;
		}
		return (seconds > 1e9) ? Long.MAX_VALUE / 4 : (long) (seconds * 1e9);
	}

	// ---- blocking calls

	private Varargs blocking(Call call) {
		run.usage().callStarted();
		try {
			ChatResponse response = await(call.provider.chat(call.request).toFuture());
			run.usage().add(response.usage());
			return LuaValue.valueOf(response.text());
		}
		catch (LlmException ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
	}

	private Varargs streamChat(Varargs args) {
		LuaValue onChunk = args.checkfunction(2);
		Call call = parse(args, 1, 3, null);
		int id = ++lastId;
		run.usage().callStarted();
		LinkedBlockingQueue<Object> pieces = new LinkedBlockingQueue<>();
		Object end = new Object();
		Disposable subscription = call.provider.stream(call.request)
			.subscribe(pieces::add, pieces::add, () -> pieces.add(end));
		try {
			while (true) {
				Object next = take(pieces);
				if (next == end) {
					return LuaValue.NIL;
				}
				if (next instanceof Throwable error) {
					return LuaValue.valueOf(message(error));
				}
				ChatChunk chunk = (ChatChunk) next;
				run.usage().add(chunk.usage());
				if (chunk.hasText()) {
					Map<String, Object> data = new LinkedHashMap<>();
					data.put("callId", id);
					data.put("text", chunk.text());
					run.emit("chunk", data, chunk.text().length());
					LuaValue verdict = onChunk.call(LuaValue.valueOf(chunk.text()));
					if (verdict.isstring()) {
						return verdict.tostring();
					}
				}
			}
		}
		finally {
			subscription.dispose();
		}
	}

	private Object take(LinkedBlockingQueue<Object> queue) {
		while (true) {
			run.guard().checkpoint();
			try {
				Object next = queue.poll(Math.min(WAIT_SLICE_NANOS, Math.max(1, run.guard().remainingNanos())),
						TimeUnit.NANOSECONDS);
				if (next != null) {
					return next;
				}
			}
			catch (InterruptedException ex) {
				throw run.guard().interrupted();
			}
		}
	}

	private <T> T await(CompletableFuture<T> future) {
		try {
			return RunWaits.await(run.guard(), future);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof LlmException llm) ? llm : new LlmException(provider.name(), message(cause));
		}
	}

	// ---- async calls

	private Varargs startAsync(String kind, Varargs args, int callbackIndex, Integer maxTokens) {
		LuaValue onOk = args.checkfunction(callbackIndex + 1);
		LuaValue onErr = LuaValue.NIL;
		int optsIndex = callbackIndex + 2;
		if (args.arg(callbackIndex + 2).isfunction()) {
			onErr = args.arg(callbackIndex + 2);
			optsIndex++;
		}
		else if (!args.arg(callbackIndex + 2).isnil() && !args.arg(callbackIndex + 2).istable()) {
			throw new LuaError("bad argument #" + (callbackIndex + 2) + " to '" + kind
					+ "_async' (function or table expected, got " + args.arg(callbackIndex + 2).typename() + ")");
		}
		Call call;
		try {
			call = parse(args, 1, optsIndex, maxTokens);
		}
		catch (LlmException ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
		EventLoop loop = run.loop();
		loop.begin(true);
		int id = ++lastId;
		run.usage().callStarted();
		AsyncCall pending = new AsyncCall(id, kind, call, onOk, onErr, System.nanoTime());
		calls.put(id, pending);
		pending.subscription = call.provider.chat(call.request)
			.subscribe((response) -> loop.post(() -> dispatch(pending, response, null)),
					(error) -> loop.post(() -> dispatch(pending, null, error)));
		return LuaValue.valueOf(id);
	}

	private void dispatch(AsyncCall call, ChatResponse response, Throwable error) {
		if (calls.remove(call.id) == null) {
			return; // cancelled after it completed: no callback
		}
		run.loop().end(true);
		long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startNanos);
		Usage usage = (response != null) ? response.usage() : null;
		run.usage().add(usage);
		String answeredBy = (response != null && response.model() != null) ? response.model()
				: call.call.request.model();
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("callId", call.id);
		data.put("kind", call.kind);
		data.put("ok", error == null);
		if (error == null) {
			data.put("result", response.text());
		}
		else {
			data.put("error", message(error));
		}
		data.put("elapsedMs", elapsedMs);
		data.put("provider", call.call.provider.name());
		data.put("model", answeredBy);
		data.put("usage", usageMap(usage));
		run.emit("callback", data, 0);

		LuaTable info = new LuaTable();
		info.set("id", call.id);
		info.set("provider", call.call.provider.name());
		info.set("model", answeredBy);
		info.set("elapsed_ms", LuaValue.valueOf(elapsedMs));
		if (usage != null) { // not reported: info.usage is nil (unknown), not 0
			LuaTable usageTable = new LuaTable();
			usageTable.set("prompt_tokens", LuaValue.valueOf(usage.promptTokens()));
			usageTable.set("completion_tokens", LuaValue.valueOf(usage.completionTokens()));
			info.set("usage", usageTable);
		}
		if (error == null) {
			call.onOk.call(LuaValue.valueOf(response.text()), info);
		}
		else if (call.onErr.isfunction()) {
			call.onErr.call(LuaValue.valueOf(message(error)), info);
		}
	}

	private boolean cancel(int id) {
		AsyncCall call = calls.remove(id);
		if (call == null) {
			return false;
		}
		call.subscription.dispose();
		run.loop().end(true);
		return true;
	}

	/** Aborts every call still in flight: the run is over. */
	void cancelAll() {
		for (AsyncCall call : new ArrayList<>(calls.values())) {
			if (call.subscription != null) {
				call.subscription.dispose();
			}
		}
		calls.clear();
	}

	// ---- arguments

	private Call parse(Varargs args, int promptIndex, int optsIndex, Integer maxTokens) {
		LuaValue opts = args.arg(optsIndex);
		if (!opts.isnil() && !opts.istable()) {
			throw new LuaError("bad argument #" + optsIndex + " (options table expected, got " + opts.typename() + ")");
		}
		LlmProvider chosen = provider;
		String chosenModel = model;
		LuaValue providerOpt = opts.isnil() ? LuaValue.NIL : opts.get("provider");
		if (!providerOpt.isnil()) {
			String name = providerOpt.checkjstring();
			chosen = providers.find(name)
				.orElseThrow(() -> new LlmException(name, "unknown provider; configured: " + providers.names()));
			chosenModel = chosen.defaultModel();
		}
		String system = null;
		Double temperature = null;
		Duration timeout = null;
		if (!opts.isnil()) {
			chosenModel = opts.get("model").optjstring(chosenModel);
			system = opts.get("system").optjstring(null);
			temperature = opts.get("temperature").isnil() ? null : opts.get("temperature").checkdouble();
			if (!opts.get("max_tokens").isnil()) {
				maxTokens = maxTokens(opts.get("max_tokens"));
			}
			if (!opts.get("timeout").isnil()) {
				timeout = Duration.ofNanos(seconds(opts.get("timeout").checkdouble()));
			}
		}
		List<ChatMessage> messages = messages(args.arg(promptIndex), promptIndex);
		return new Call(chosen, new ChatRequest(chosenModel, messages, system, temperature, maxTokens, timeout));
	}

	private static Integer maxTokens(LuaValue value) {
		return value.isnil() ? null : value.checkint();
	}

	private static List<ChatMessage> messages(LuaValue prompt, int index) {
		if (prompt.isstring()) {
			return List.of(ChatMessage.user(prompt.tojstring()));
		}
		if (!prompt.istable()) {
			throw new LuaError("bad argument #" + index + " (prompt must be a string or a list of messages, got "
					+ prompt.typename() + ")");
		}
		List<ChatMessage> messages = new ArrayList<>();
		for (int i = 1; i <= prompt.length(); i++) {
			LuaValue message = prompt.get(i);
			if (!message.istable()) {
				throw new LuaError("message " + i + " must be a table {role=, content=}");
			}
			messages
				.add(new ChatMessage(message.get("role").optjstring("user"), message.get("content").checkjstring()));
		}
		if (messages.isEmpty()) {
			throw new LuaError("bad argument #" + index + " (the message list is empty)");
		}
		return messages;
	}

	private static Map<String, Object> usageMap(Usage usage) {
		Map<String, Object> map = new LinkedHashMap<>();
		// not reported: null (unknown), not 0
		map.put("promptTokens", (usage != null) ? usage.promptTokens() : null);
		map.put("completionTokens", (usage != null) ? usage.completionTokens() : null);
		return map;
	}

	private String message(Throwable error) {
		if (error instanceof LlmException) {
			return error.getMessage();
		}
		return provider.name() + ": " + error.getClass().getSimpleName();
	}

	private record Call(LlmProvider provider, ChatRequest request) {
	}

	private static final class AsyncCall {

		final int id;

		final String kind;

		final Call call;

		final LuaValue onOk;

		final LuaValue onErr;

		final long startNanos;

		Disposable subscription;

		AsyncCall(int id, String kind, Call call, LuaValue onOk, LuaValue onErr, long startNanos) {
			this.id = id;
			this.kind = kind;
			this.call = call;
			this.onOk = onOk;
			this.onErr = onErr;
			this.startNanos = startNanos;
		}

	}

}
