package io.llmspell.lua;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.observation.ObservationRegistry;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.LlmProviders;
import io.llmspell.llm.RunCalls;
import io.llmspell.spell.Spell;

import static io.llmspell.lua.LuaKeys.key;

/**
 * One execution of a spell: a fresh, sandboxed Lua state, its guard and event loop, run
 * to the end on the calling thread. {@link #cancel} may be called from any thread.
 */
public final class LuaRun {

	private static final Logger log = LoggerFactory.getLogger(LuaRun.class);

	private static final Pattern FILE_LINE = Pattern.compile("^(\\[string \"[^\n]*?\"\\]|[^\\s:]+):(\\d+):? (.*)",
			Pattern.DOTALL);

	private static final Prototype PROMISE_MODULE = compileResource("lua/promise.lua", "promise.lua");

	/**
	 * The most text of an error message or traceback sent (a {@code __tostring} may
	 * return megabytes).
	 */
	private static final int MAX_ERROR_TEXT = 16 * 1024;

	private final Spell spell;

	private final Map<String, Object> params;

	private final String runId;

	private final RunEventSink sink;

	private final long startNanos = System.nanoTime();

	private final RunGuard guard;

	private final Globals globals;

	private final EventLoop loop;

	private final LlmModule llm;

	private final AsyncModule async;

	private final HttpModule http;

	private final StorageModule storage;

	private final ObservationRegistry observations;

	private final ToolsModule tools = new ToolsModule();

	private final AgentsModule agents = new AgentsModule(tools.registry());

	private final RunUsage usage = new RunUsage();

	private final CoroutineThreads coroutineThreads;

	private final List<Coroutine> coroutines = new ArrayList<>();

	private final LuaFunction errorHandler = new ErrorHandler();

	private String lastTraceback;

	/**
	 * The promise module's reporter of unhandled rejections, called when the run ends.
	 */
	private LuaValue unhandledReasons = LuaValue.NIL;

	private long outputEvents;

	private long outputBytes;

	public LuaRun(Spell spell, Map<String, Object> params, String runId, RunLimits limits, LlmProviders providers,
			LlmProvider provider, String model, RunEventSink sink) {
		this(spell, params, runId, limits, providers, provider, model, sink, CoroutineThreads.shared(),
				ModuleBackends.NONE);
	}

	public LuaRun(Spell spell, Map<String, Object> params, String runId, RunLimits limits, LlmProviders providers,
			LlmProvider provider, String model, RunEventSink sink, CoroutineThreads coroutineThreads) {
		this(spell, params, runId, limits, providers, provider, model, sink, coroutineThreads, ModuleBackends.NONE);
	}

	public LuaRun(Spell spell, Map<String, Object> params, String runId, RunLimits limits, LlmProviders providers,
			LlmProvider provider, String model, RunEventSink sink, ModuleBackends backends) {
		this(spell, params, runId, limits, providers, provider, model, sink, CoroutineThreads.shared(), backends);
	}

	/**
	 * @param coroutineThreads where the run's coroutines get their threads (the
	 * service-wide bound)
	 * @param backends the http and storage backends of the run's modules
	 */
	public LuaRun(Spell spell, Map<String, Object> params, String runId, RunLimits limits, LlmProviders providers,
			LlmProvider provider, String model, RunEventSink sink, CoroutineThreads coroutineThreads,
			ModuleBackends backends) {
		LuaSandbox.lockStringMetatable();
		this.coroutineThreads = coroutineThreads;
		this.spell = spell;
		this.params = params;
		this.runId = runId;
		this.sink = sink;
		this.globals = new Globals();
		// room for the ~40 globals a run starts with, instead of five rehashes on the way
		globals.presize(0, 64);
		this.guard = new RunGuard(globals, limits, startNanos);
		this.loop = new EventLoop(globals, guard);
		this.observations = backends.observations();
		// every LLM call of the run counts toward max-llm-calls and is queued as this
		// run's
		RunCalls calls = new RunCalls(runId, limits.maxLlmCalls());
		this.llm = new LlmModule(this, calls.scoped(providers), (provider != null) ? calls.scoped(provider) : null,
				model, tools.registry());
		this.async = new AsyncModule(this);
		this.http = new HttpModule(this, backends.http(), async);
		this.storage = new StorageModule(this, backends.storage(), spell.name());
		if (backends.http() != null) {
			tools.useWebFetcher(http.webFetcher());
		}
	}

	/**
	 * Runs the spell to its end on this thread: main chunk, then the loop until nothing
	 * is pending.
	 */
	public RunOutcome execute() {
		LuaSandbox.CURRENT.set(guard);
		try {
			Globals state = LuaSandbox.create(this, globals);
			installModules(state);
			// the start event echoes the parameters
			countEvent(EventSize.of(params));
			Varargs result = LuaSandbox.instantiate(spell.main(), state).invoke(LuaValue.NONE);
			loop.drain();
			reportUnhandledRejections();
			Object value = LuaValues.toJava(result, outputBudget("the result"));
			countEvent(EventSize.of(value));
			return outcome("ok", value, null);
		}
		catch (RunAbort abort) {
			return aborted(abort);
		}
		catch (LuaError error) {
			if (guard.aborted() != null) {
				return aborted(guard.aborted());
			}
			try {
				return outcome("error", null, luaError(error));
			}
			catch (RunAbort abort) {
				// a limit hit in a __tostring of the error: that limit is what happened
				return aborted(abort);
			}
		}
		catch (StackOverflowError error) {
			return aborted(RunAbort.limit(RunLimits.CALL_DEPTH, "the Lua stack overflowed"));
		}
		catch (RuntimeException ex) {
			if (guard.aborted() != null) {
				return aborted(guard.aborted());
			}
			log.error("Run {} of spell '{}' failed inside the runtime", runId, spell.name(), ex);
			return outcome("error", null, new RunError("internal", "internal error in the runtime", null, null, null));
		}
		finally {
			cleanUp();
			LuaSandbox.CURRENT.remove();
		}
	}

	/**
	 * Stops the run as soon as possible: its Lua thread stops at the next instruction or
	 * wait.
	 */
	public void cancel(String reason) {
		guard.abort(new RunAbort(RunAbort.Kind.CANCELLED, null, reason));
		loop.wake();
	}

	/**
	 * Stops the run because the whole service is short of memory: it ends with limit
	 * {@code max-memory}, like a run over its own budget.
	 */
	public void stopForMemory(String reason) {
		guard.abort(RunAbort.limit(RunLimits.MEMORY, reason));
		loop.wake();
	}

	/**
	 * Async operations pending on the run's event loop (LLM calls, timers, reactions,
	 * executors).
	 */
	public int pendingCount() {
		return loop.pendingCount();
	}

	/**
	 * About how many bytes the run holds (see {@link RunGuard#heldBytes()}); any thread.
	 */
	public long heldBytes() {
		return guard.heldBytes();
	}

	/**
	 * Asks the run to measure what it holds at its next checkpoint; returns when it last
	 * did ({@link #measuredAtNanos()} moves past it once it has).
	 */
	public long requestMeasurement() {
		return guard.requestMeasurement();
	}

	public long measuredAtNanos() {
		return guard.measuredAtNanos();
	}

	/** What the run held when it last measured. */
	public long measuredHeldBytes() {
		return guard.measuredHeldBytes();
	}

	public String runId() {
		return runId;
	}

	public String provider() {
		return llm.providerName();
	}

	public String model() {
		return llm.model();
	}

	/** The run's {@code http} module, for Java code on the run's thread (tools). */
	public HttpModule http() {
		return http;
	}

	// ---- for the modules

	Spell spell() {
		return spell;
	}

	RunGuard guard() {
		return guard;
	}

	EventLoop loop() {
		return loop;
	}

	/** Where the spans of the run's tool calls go. */
	ObservationRegistry observations() {
		return observations;
	}

	RunUsage usage() {
		return usage;
	}

	/** The run's tools (the {@code http} module gives {@code web_fetch} its fetcher). */
	ToolsModule tools() {
		return tools;
	}

	LuaFunction errorHandler() {
		return errorHandler;
	}

	Coroutine newCoroutine(LuaValue function) {
		if (coroutines.size() >= guard.limits().maxCoroutines()) {
			RunAbort abort = RunAbort.limit(RunLimits.COROUTINES,
					"more than " + guard.limits().maxCoroutines() + " coroutines");
			guard.abort(abort);
			throw abort;
		}
		Coroutine thread = new Coroutine(globals, function, coroutineThreads, guard);
		thread.errorfunc = errorHandler;
		coroutines.add(thread);
		return thread;
	}

	String tostring(LuaValue value) {
		return globals.get("tostring").call(value).tojstring();
	}

	void print(Varargs args) {
		StringBuilder line = new StringBuilder();
		for (int i = 1; i <= args.narg(); i++) {
			if (i > 1) {
				line.append('\t');
			}
			line.append(tostring(args.arg(i)));
			if (line.length() > guard.limits().maxOutputBytes()) {
				break;
			}
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("text", line.toString());
		emit("output", data, line.length());
	}

	void log(String level, String message, Object fields) {
		emit("log", LogModule.event(level, message, fields), message.length());
	}

	/**
	 * Sends an event, within the output limits: every byte of its data counts toward
	 * {@code max-output-bytes} ({@code textBytes} is no longer needed and ignored), so no
	 * single event is larger than that either.
	 */
	void emit(String event, Map<String, Object> data, long textBytes) {
		outputEvents++;
		if (outputEvents > guard.limits().maxOutputEvents()) {
			throw fail(RunAbort.limit(RunLimits.OUTPUT_EVENTS,
					"more than " + guard.limits().maxOutputEvents() + " events"));
		}
		countEvent(EventSize.of(data));
		sink.emit(event, data);
	}

	/**
	 * A budget for converting a Lua value into event data: what is left of
	 * {@code max-output-bytes}; past it the run ends with that limit.
	 */
	LuaValues.Budget outputBudget(String what) {
		long outputLeft = guard.limits().maxOutputBytes() - outputBytes;
		long eventMax = guard.limits().maxEventBytes();
		return (eventMax < outputLeft) ? LuaValues.Budget.of(guard, RunLimits.EVENT_BYTES, what, eventMax)
				: LuaValues.Budget.of(guard, RunLimits.OUTPUT_BYTES, what, outputLeft);
	}

	/**
	 * Counts one event of {@code bytes}: past {@code max-event-bytes} the run ends with
	 * that limit, unless what is left of {@code max-output-bytes} is the tighter bound
	 * (the same rule as {@link #outputBudget}).
	 */
	private void countEvent(long bytes) {
		long eventMax = guard.limits().maxEventBytes();
		if (bytes > eventMax && eventMax < guard.limits().maxOutputBytes() - outputBytes) {
			throw fail(RunAbort.limit(RunLimits.EVENT_BYTES, "an event of " + bytes + " bytes (limit "
					+ guard.limits().maxEventBytes() + " bytes a single event)"));
		}
		count(bytes);
	}

	private void count(long bytes) {
		outputBytes += bytes;
		if (outputBytes > guard.limits().maxOutputBytes()) {
			throw fail(RunAbort.limit(RunLimits.OUTPUT_BYTES,
					"more than " + guard.limits().maxOutputBytes() + " bytes of output"));
		}
	}

	// ---- internals

	private void installModules(Globals state) {
		state.set(key("params"), LuaValues.toLua(params));
		LuaTable spellTable = new LuaTable();
		spellTable.set(key("name"), LuaValue.valueOf(spell.name()));
		spellTable.set(key("version"), LuaValue.valueOf(String.valueOf(spell.version())));
		spellTable.set(key("run_id"), LuaValue.valueOf(runId));
		state.set(key("spell"), spellTable);
		state.set(key("json"), JsonModule.table(guard));
		state.set(key("log"), LogModule.table(this));
		LuaTable llmTable = llm.table();
		state.set(key("llm"), llmTable);
		state.set(key("async"), async.table());
		state.set(key("tools"), tools.table());
		state.set(key("agents"), agents.table(llmTable));
		state.set(key("sleep"), async.sleepFunction());
		LuaTable httpTable = http.table();
		state.set(key("http"), httpTable);
		state.set(key("storage"), storage.table());
		Varargs promise = LuaSandbox.instantiate(PROMISE_MODULE, state)
			.invoke(LuaValue.varargsOf(new LuaValue[] { loopTable(), llmTable, httpTable }));
		state.set(key("promise"), promise.arg1());
		unhandledReasons = promise.arg(2);
	}

	private LuaTable loopTable() {
		LuaTable table = new LuaTable();
		table.set(key("microtask"), LuaFunctions.named("microtask", (args) -> {
			LuaValue reaction = args.checkfunction(1);
			loop.microtask(reaction::call);
			return LuaValue.NONE;
		}));
		table.set(key("add_executor"), LuaFunctions.named("add_executor", (args) -> {
			loop.addExecutor(args.checkthread(1));
			return LuaValue.NONE;
		}));
		table.set(key("tick"), LuaFunctions.named("tick",
				(args) -> LuaValue.valueOf(loop.tick(LlmModule.seconds(args.optdouble(1, 0))))));
		table.set(key("pass"), LuaFunctions.named("pass",
				(args) -> LuaValue.valueOf(loop.pass(LlmModule.seconds(args.optdouble(1, 0))))));
		table.set(key("in_coroutine"),
				LuaFunctions.named("in_coroutine", (args) -> LuaValue.valueOf(loop.inCoroutine())));
		table.set(key("pending"), LuaFunctions.named("pending", (args) -> LuaValue.valueOf(loop.pendingCount())));
		table.set(key("now"), LuaFunctions.named("now", (args) -> LuaValue.valueOf(System.nanoTime() / 1e9)));
		return table;
	}

	private void reportUnhandledRejections() {
		if (!unhandledReasons.isfunction()) {
			return;
		}
		LuaValue reasons = unhandledReasons.call();
		for (int i = 1; i <= reasons.length(); i++) {
			log("warn", "unhandled promise rejection: " + reasons.get(i).tojstring(), Map.of());
		}
	}

	private RunOutcome aborted(RunAbort abort) {
		String kind = (abort.kind() == RunAbort.Kind.CANCELLED) ? "cancelled" : "limit";
		return outcome(abort.kind().status(), null, new RunError(kind, abort.getMessage(), null, null, abort.limit()));
	}

	private RunError luaError(LuaError error) {
		String message = String.valueOf(error.getMessageObject() != null && !error.getMessageObject().isstring()
				? tostringSafely(error.getMessageObject()) : error.getMessage());
		message = cut(message);
		Integer line = null;
		Matcher matcher = FILE_LINE.matcher(message);
		if (matcher.matches()) {
			line = Integer.valueOf(matcher.group(2));
		}
		return new RunError("lua", message, line, (lastTraceback != null) ? cut(lastTraceback) : null, null);
	}

	/**
	 * Error text as sent: at most {@link #MAX_ERROR_TEXT} characters, and at most a
	 * quarter of {@code max-event-bytes} (message and traceback share the done event).
	 */
	private String cut(String text) {
		int max = (int) Math.min(MAX_ERROR_TEXT, guard.limits().maxEventBytes() / 4);
		if (text.length() <= max) {
			return text;
		}
		return text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
	}

	private String tostringSafely(LuaValue value) {
		try {
			return tostring(value);
		}
		catch (LuaError ex) {
			return value.typename();
		}
	}

	private RunOutcome outcome(String status, Object result, RunError error) {
		long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
		return new RunOutcome(status, result, error, usage.toMap(), durationMs);
	}

	private RunAbort fail(RunAbort abort) {
		guard.abort(abort);
		return guard.aborted();
	}

	/**
	 * Aborts what is in flight and ends every coroutine the run started, so none lingers.
	 */
	private void cleanUp() {
		llm.cancelAll();
		http.cancelAll();
		async.cancelAll();
		guard.abort(new RunAbort(RunAbort.Kind.CANCELLED, null, "the run has ended"));
		for (Coroutine coroutine : coroutines) {
			coroutine.kill();
		}
		coroutines.clear();
	}

	private static Prototype compileResource(String resource, String chunkName) {
		try (InputStream in = LuaRun.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing resource " + resource);
			}
			return LuaCompiler.compile(in, chunkName);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + resource, ex);
		}
	}

	/**
	 * LuaJ appends a traceback to every error message unless the thread has an error
	 * function. This one keeps messages as Lua prints them ({@code file:line: message})
	 * and keeps the traceback aside for the {@code error} event.
	 */
	private final class ErrorHandler extends OneArgFunction {

		@Override
		public LuaValue call(LuaValue message) {
			lastTraceback = guard.traceback();
			if (!message.isstring()) {
				return message;
			}
			Matcher matcher = FILE_LINE.matcher(message.tojstring());
			return matcher.matches()
					? LuaValue.valueOf(matcher.group(1) + ":" + matcher.group(2) + ": " + matcher.group(3)) : message;
		}

	}

}
