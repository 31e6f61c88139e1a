package io.llmspell.lua;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import reactor.core.Disposable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.llmspell.outbound.OutboundException;
import io.llmspell.outbound.OutboundHttpClient;
import io.llmspell.outbound.OutboundRequest;
import io.llmspell.outbound.OutboundResponse;
import io.llmspell.tools.ToolFailure;
import io.llmspell.tools.WebFetcher;

import static io.llmspell.lua.LuaKeys.key;

/**
 * The {@code http} module: outbound requests through {@link OutboundHttpClient}, whose
 * allowlist and address checks apply to every one. The blocking forms ({@code get},
 * {@code post}, {@code request}) park only the run's own thread ({@link RunWaits}); the
 * async form subscribes and returns an id at once, and its completion is posted to the
 * run's {@link EventLoop} like an LLM call's; {@code async.cancel(id)} aborts it. The
 * run's limits bound the number of requests, each response's size and each request's
 * time; a response counts toward the run's memory once it is a Lua string.
 * <p>
 * {@link #fetch} is the same for Java callers on the run's thread (the built-in
 * {@code web_fetch} tool).
 */
public final class HttpModule {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final LuaRun run;

	private final OutboundHttpClient client;

	private final AsyncModule async;

	private final Map<Integer, Disposable> inFlight = new HashMap<>();

	private long requests;

	HttpModule(LuaRun run, OutboundHttpClient client, AsyncModule async) {
		this.run = run;
		this.client = client;
		this.async = async;
	}

	LuaTable table() {
		LuaTable http = new LuaTable(0, 5);
		http.set(key("get"),
				LuaFunctions.named("get", (args) -> blocking(() -> request("GET", args.arg(1), null, args.arg(2)))));
		http.set(key("post"), LuaFunctions.named("post",
				(args) -> blocking(() -> request("POST", args.arg(1), args.arg(2), args.arg(3)))));
		http.set(key("request"), LuaFunctions.named("request", (args) -> blocking(() -> request(args.arg(1)))));
		http.set(key("request_async"), LuaFunctions.named("request_async", this::requestAsync));
		return http;
	}

	/**
	 * A GET of {@code url} for Java code on the run's thread (a tool): waits like
	 * {@code http.get}, within the same allowlist and limits.
	 * @throws OutboundException if it is refused or fails (an HTTP error status is a
	 * response)
	 */
	public OutboundResponse fetch(String url) {
		OutboundRequest request = request("GET", LuaValue.valueOf(url), null, LuaValue.NIL);
		return await(request);
	}

	/**
	 * The built-in {@code web_fetch} tool's way to the web: {@link #fetch(String)}, so
	 * the same allowlist and run limits apply.
	 */
	WebFetcher webFetcher() {
		return (url) -> {
			try {
				OutboundResponse response = fetch(url);
				return new WebFetcher.Page(response.status(), response.text(), response.contentType());
			}
			catch (OutboundException ex) {
				throw new ToolFailure(ex.getMessage());
			}
		};
	}

	// ---- blocking

	private Varargs blocking(java.util.function.Supplier<OutboundRequest> parse) {
		try {
			return response(await(parse.get()));
		}
		catch (OutboundException ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
	}

	private OutboundResponse await(OutboundRequest request) {
		count();
		try {
			return RunWaits.await(run.guard(), client().exchange(request).toFuture());
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof OutboundException outbound) ? outbound
					: new OutboundException("error", "http: " + ex.getCause().getClass().getSimpleName());
		}
	}

	// ---- async

	private Varargs requestAsync(Varargs args) {
		LuaValue onOk = args.checkfunction(2);
		LuaValue onErr = args.isnoneornil(3) ? LuaValue.NIL : args.checkfunction(3);
		OutboundRequest request;
		try {
			request = request(args.arg(1));
			count();
		}
		catch (OutboundException ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
		EventLoop loop = run.loop();
		loop.begin(false);
		int[] self = new int[1];
		self[0] = async.register(() -> {
			Disposable subscription = inFlight.remove(self[0]);
			if (subscription != null) {
				subscription.dispose();
			}
			loop.end(false);
		});
		int id = self[0];
		long start = System.nanoTime();
		Disposable subscription = client().exchange(request)
			.subscribe((response) -> loop.post(() -> dispatch(id, request, start, response, null, onOk, onErr)),
					(error) -> loop.post(() -> dispatch(id, request, start, null, error, onOk, onErr)));
		if (!subscription.isDisposed()) {
			inFlight.put(id, subscription);
		}
		return LuaValue.valueOf(id);
	}

	private void dispatch(int id, OutboundRequest request, long start, OutboundResponse response, Throwable error,
			LuaValue onOk, LuaValue onErr) {
		if (!async.finish(id)) {
			return; // cancelled after it completed: no callback
		}
		inFlight.remove(id);
		run.loop().end(false);
		String message = (error == null) ? null : (error instanceof OutboundException) ? error.getMessage()
				: "http: " + error.getClass().getSimpleName();
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("callId", id);
		data.put("kind", "http");
		data.put("ok", error == null);
		if (error == null) {
			data.put("status", response.status());
		}
		else {
			data.put("error", message);
		}
		data.put("elapsedMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		data.put("host", request.url().getHost());
		run.emit("callback", data, 0);
		if (error == null) {
			onOk.call(response(response));
		}
		else if (onErr.isfunction()) {
			onErr.call(LuaValue.valueOf(message));
		}
	}

	/** Aborts every request in flight: the run is over. */
	void cancelAll() {
		inFlight.values().forEach(Disposable::dispose);
		inFlight.clear();
	}

	// ---- requests and responses

	private void count() {
		long max = run.guard().limits().maxHttpRequests();
		if (requests >= max) {
			throw new OutboundException("refused",
					"http: more than " + max + " requests in this run (limit " + RunLimits.HTTP_REQUESTS + ")");
		}
		requests++;
	}

	private OutboundHttpClient client() {
		if (client == null) {
			throw new OutboundException("refused", "http: not available in this runtime");
		}
		return client;
	}

	/** {@code http.request{method=, url=, headers=, body=, timeout=}} (or a URL). */
	private OutboundRequest request(LuaValue spec) {
		if (spec.isstring()) {
			return request("GET", spec, null, LuaValue.NIL);
		}
		if (!spec.istable()) {
			throw new LuaError("bad argument #1 (request table or URL expected, got " + spec.typename() + ")");
		}
		String method = spec.get("method").optjstring("GET").toUpperCase(Locale.ROOT);
		return request(method, spec.get("url"), spec.get("body"), spec);
	}

	private OutboundRequest request(String method, LuaValue url, LuaValue body, LuaValue opts) {
		if (!url.isstring()) {
			throw new LuaError("bad argument (url must be a string, got " + url.typename() + ")");
		}
		if (!opts.isnil() && !opts.istable()) {
			throw new LuaError("bad argument (options table expected, got " + opts.typename() + ")");
		}
		if (!method.matches("[A-Z]{1,16}")) {
			throw new OutboundException("refused", "http: bad method '" + method + "'");
		}
		URI uri;
		try {
			uri = new URI(url.tojstring());
		}
		catch (URISyntaxException ex) {
			throw new OutboundException("refused", "http: bad URL: " + ex.getReason());
		}
		Map<String, String> headers = new LinkedHashMap<>();
		LuaValue headerTable = opts.isnil() ? LuaValue.NIL : opts.get("headers");
		if (headerTable.istable()) {
			LuaValue key = LuaValue.NIL;
			while (true) {
				Varargs next = headerTable.next(key);
				key = next.arg1();
				if (key.isnil()) {
					break;
				}
				headers.put(key.tojstring(), next.arg(2).tojstring());
			}
		}
		byte[] bytes = null;
		if (body != null && !body.isnil()) {
			if (body.isstring()) {
				LuaString text = body.checkstring();
				bytes = new byte[text.rawlen()];
				text.copyInto(0, bytes, 0, bytes.length);
			}
			else if (body.istable()) {
				try {
					bytes = JSON.writeValueAsString(LuaValues.toJava(body)).getBytes(StandardCharsets.UTF_8);
				}
				catch (JacksonException ex) {
					throw new LuaError("bad body (not JSON-encodable: " + ex.getOriginalMessage() + ")");
				}
				if (headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
					headers.put("Content-Type", "application/json");
				}
			}
			else {
				throw new LuaError("bad body (string or table expected, got " + body.typename() + ")");
			}
		}
		RunLimits limits = run.guard().limits();
		Duration timeout = limits.httpTimeout();
		LuaValue requested = opts.isnil() ? LuaValue.NIL : opts.get("timeout");
		if (!requested.isnil()) {
			long nanos = LlmModule.seconds(requested.checkdouble());
			if (nanos > 0 && nanos < timeout.toNanos()) {
				timeout = Duration.ofNanos(nanos);
			}
		}
		long left = Math.max(1, run.guard().remainingNanos());
		if (left < timeout.toNanos()) {
			timeout = Duration.ofNanos(left);
		}
		return new OutboundRequest(method, uri, headers, bytes, timeout, limits.maxHttpResponseBytes());
	}

	/** {@code {status=, headers=, body=, url=}}; the body is the bytes as received. */
	private LuaTable response(OutboundResponse response) {
		LuaTable table = new LuaTable();
		table.set(key("status"), LuaValue.valueOf(response.status()));
		LuaTable headers = new LuaTable();
		response.headers().forEach((name, values) -> headers.set(name, String.join(", ", values)));
		table.set(key("headers"), headers);
		LuaString body = LuaString.valueUsing(response.body());
		run.guard().allocated(response.body().length);
		table.set(key("body"), body);
		table.set(key("url"), LuaValue.valueOf(response.url().toString()));
		return table;
	}

}
