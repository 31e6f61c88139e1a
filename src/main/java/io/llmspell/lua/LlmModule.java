package io.llmspell.lua;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import reactor.core.Disposable;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.LlmProviders;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.ToolCall;
import io.llmspell.llm.Usage;
import io.llmspell.tools.ToolLoopException;
import io.llmspell.tools.ToolRegistry;

import static io.llmspell.lua.LuaKeys.key;

/**
 * The {@code llm} module: the bridge from Lua to the providers. Blocking calls wait on
 * the Lua thread ({@link LlmWaits}); async calls are {@link AsyncLlmCalls}'. Options are
 * read by {@link LlmOptions}, requests built by {@link LlmRequests}, the provider chosen
 * by {@link ProviderSelection}; with {@code opts.tools} every form runs the tool loop,
 * the tools on the spell's thread ({@link ToolRunner}).
 */
final class LlmModule {

	private static final long DEFAULT_PROCESS_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final LuaRun run;

	private final ProviderSelection selection;

	private final LlmRequests requests;

	private final ToolRunner tools;

	private final AsyncLlmCalls async;

	private final LlmWaits waits;

	LlmModule(LuaRun run, LlmProviders providers, LlmProvider provider, String model, ToolRegistry registry) {
		this.run = run;
		this.selection = new ProviderSelection(providers, provider, model);
		this.requests = new LlmRequests(selection, registry);
		this.tools = new ToolRunner(run, registry);
		this.async = new AsyncLlmCalls(run, tools);
		this.waits = new LlmWaits(run);
	}

	String providerName() {
		return selection.provider().name();
	}

	String model() {
		return selection.model();
	}

	LuaTable table() {
		LuaTable llm = new LuaTable(0, 16);
		llm.set(key("chat"), LuaFunctions.named("chat", (args) -> blocking("chat", args, 1, 2, null)));
		llm.set(key("complete"),
				LuaFunctions.named("complete", (args) -> blocking("complete", args, 1, 3, maxTokens(args.arg(2)))));
		llm.set(key("stream_chat"), LuaFunctions.named("stream_chat", this::streamChat));
		llm.set(key("chat_async"), LuaFunctions.named("chat_async", (args) -> startAsync("chat", args, 1, null)));
		llm.set(key("complete_async"), LuaFunctions.named("complete_async",
				(args) -> startAsync("complete", args, 2, maxTokens(args.arg(2)))));
		llm.set(key("has_pending"),
				LuaFunctions.named("has_pending", (args) -> LuaValue.valueOf(run.loop().pendingCalls() > 0)));
		llm.set(key("pending_count"),
				LuaFunctions.named("pending_count", (args) -> LuaValue.valueOf(run.loop().pendingCalls())));
		llm.set(key("process_callbacks"),
				LuaFunctions.named("process_callbacks", (args) -> processCallbacks(run, args)));
		llm.set(key("cancel"),
				LuaFunctions.named("cancel", (args) -> LuaValue.valueOf(async.cancel(args.checkint(1)))));
		llm.set(key("list_providers"), LuaFunctions.named("list_providers", (args) -> {
			LuaTable names = new LuaTable();
			selection.providers().names().forEach((name) -> names.insert(0, LuaValue.valueOf(name)));
			return names;
		}));
		llm.set(key("get_provider"),
				LuaFunctions.named("get_provider", (args) -> LuaValue.valueOf(selection.provider().name())));
		// go-llmspell's way: nothing on success, the error message on failure
		llm.set(key("set_provider"), LuaFunctions.named("set_provider", (args) -> {
			String error = selection.select(args.arg1().isstring() ? args.arg1().tojstring() : null);
			return (error == null) ? LuaValue.NONE : LuaValue.valueOf(error);
		}));
		llm.set(key("get_model"), LuaFunctions.named("get_model", (args) -> LuaValue.valueOf(selection.model())));
		llm.set(key("set_model"), LuaFunctions.named("set_model", (args) -> {
			String error = selection.selectModel(args.arg1().isstring() ? args.arg1().tojstring() : null);
			return (error == null) ? LuaValue.NONE : LuaValue.valueOf(error);
		}));
		llm.set(key("list_models"), LuaFunctions.named("list_models", (args) -> {
			LlmProvider provider = selection.provider();
			try {
				List<String> models = waits.await(provider.listModels().toFuture(), provider.name());
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

	private Varargs blocking(String kind, Varargs args, int promptIndex, int optsIndex, Integer maxTokens) {
		LlmCall call;
		try {
			call = requests.prepare(kind, args.arg(promptIndex), promptIndex,
					LlmOptions.parse(options(args, optsIndex), maxTokens));
		}
		catch (LlmOptions.Invalid ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
		try {
			while (true) {
				run.usage().callStarted();
				ChatResponse response = waits.await(call.provider.chat(call.conversation.request()).toFuture(),
						call.provider.name());
				run.usage().add(response.usage());
				List<ToolCall> toolCalls = call.conversation.accept(response);
				if (toolCalls.isEmpty()) {
					return LlmCall.toLua(call.answer(response.text()));
				}
				tools.runTurn(call, toolCalls);
			}
		}
		catch (LlmException | ToolLoopException | IllegalArgumentException ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
	}

	private Varargs streamChat(Varargs args) {
		LuaValue onChunk = args.checkfunction(2);
		LlmCall call;
		try {
			call = requests.prepare("stream", args.arg(1), 1, LlmOptions.parse(options(args, 3), null));
		}
		catch (LlmOptions.Invalid ex) {
			return LuaValue.valueOf(ex.getMessage());
		}
		try {
			while (true) {
				Turn turn = streamTurn(call, onChunk);
				if (turn.stoppedBy != null) {
					return turn.stoppedBy;
				}
				List<ToolCall> toolCalls = call.conversation.accept(turn.response);
				if (toolCalls.isEmpty()) {
					call.answer(turn.response.text());
					return LuaValue.NIL;
				}
				tools.runTurn(call, toolCalls);
			}
		}
		catch (LlmException | ToolLoopException | IllegalArgumentException ex) {
			return LuaValue.valueOf(ex.getMessage());
		}
	}

	/** One streamed turn: its pieces go to {@code on_chunk} and out as events. */
	private Turn streamTurn(LlmCall call, LuaValue onChunk) {
		run.usage().callStarted();
		LlmWaits.Pieces pieces = new LlmWaits.Pieces();
		Object end = new Object();
		Disposable subscription = call.provider.stream(call.conversation.request())
			.subscribe(pieces::add, pieces::add, () -> pieces.add(end));
		StringBuilder text = new StringBuilder();
		List<ToolCall> toolCalls = new ArrayList<>();
		Usage usage = Usage.NONE;
		String model = call.model();
		try {
			while (true) {
				Object next = waits.take(pieces);
				if (next == end) {
					return new Turn(new ChatResponse(text.toString(), model, usage, toolCalls), null);
				}
				if (next instanceof Throwable error) {
					throw LlmWaits.asLlmException(error, call.provider.name());
				}
				ChatChunk chunk = (ChatChunk) next;
				run.usage().add(chunk.usage());
				usage = usage.plus(chunk.usage());
				toolCalls.addAll(chunk.toolCalls());
				if (chunk.model() != null) {
					model = chunk.model();
				}
				if (chunk.hasText()) {
					text.append(chunk.text());
					Map<String, Object> data = LuaValues.ordered();
					data.put("callId", call.id);
					data.put("text", chunk.text());
					run.emit("chunk", data, chunk.text().length());
					LuaValue verdict = onChunk.call(LuaValue.valueOf(chunk.text()));
					if (verdict.isstring()) {
						return new Turn(null, verdict.tostring());
					}
				}
			}
		}
		finally {
			subscription.dispose();
		}
	}

	private record Turn(ChatResponse response, LuaValue stoppedBy) {
	}

	// ---- async calls

	private Varargs startAsync(String kind, Varargs args, int callbackIndex, Integer maxTokens) {
		LuaValue onOk = args.checkfunction(callbackIndex + 1);
		LuaValue onErr = LuaValue.NIL;
		LuaValue third = args.arg(callbackIndex + 2);
		int optsIndex = callbackIndex + 2;
		if (third.isfunction() || (third.isnil() && args.narg() > callbackIndex + 2)) {
			// (on_ok, on_err, opts), and (on_ok, nil, opts)
			onErr = third;
			optsIndex++;
		}
		else if (!third.isnil() && !third.istable()) {
			throw new LuaError("bad argument #" + (callbackIndex + 2) + " to '" + kind
					+ "_async' (function or table expected, got " + third.typename() + ")");
		}
		LlmCall call;
		try {
			call = requests.prepare(kind, args.arg(1), 1, LlmOptions.parse(options(args, optsIndex), maxTokens));
		}
		catch (LlmOptions.Invalid ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
		return LuaValue.valueOf(async.start(call, onOk, onErr));
	}

	/** Aborts every call still in flight: the run is over. */
	void cancelAll() {
		async.cancelAll();
	}

	// ---- arguments

	private static LuaValue options(Varargs args, int index) {
		LuaValue opts = args.arg(index);
		if (!opts.isnil() && !opts.istable()) {
			throw new LuaError("bad argument #" + index + " (options table expected, got " + opts.typename() + ")");
		}
		return opts;
	}

	private static Integer maxTokens(LuaValue value) {
		return value.isnil() ? null : value.checkint();
	}

}
