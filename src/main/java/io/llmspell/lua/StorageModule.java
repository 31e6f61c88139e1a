package io.llmspell.lua;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.llmspell.store.StorageBackend;
import io.llmspell.store.StoreException;

/**
 * The {@code storage} module (go-llmspell's): values under keys, with an optional time to
 * live, and text blobs under names, in the spell's own namespace of the
 * {@link StorageBackend}. Values are stored as their JSON text, so a value comes back as
 * it went in (strings, numbers, booleans, tables). Each call waits on the run's own
 * thread ({@link RunWaits}) for the backend, which never blocks an event loop; a refused
 * or failed call is {@code nil, err}.
 */
final class StorageModule {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final LuaRun run;

	private final StorageBackend backend;

	private final String namespace;

	StorageModule(LuaRun run, StorageBackend backend, String namespace) {
		this.run = run;
		this.backend = backend;
		this.namespace = namespace;
	}

	LuaTable table() {
		LuaTable storage = new LuaTable(0, 7);
		storage.set(LuaKeys.key("get"), LuaFunctions.named("get", (args) -> call(() -> {
			String text = await(backend().get(namespace, key(args, 1)));
			return (text != null) ? decode(text) : LuaValue.NIL;
		})));
		storage.set(LuaKeys.key("set"), LuaFunctions.named("set", (args) -> call(() -> {
			String key = key(args, 1);
			if (args.arg(2).isnil()) {
				await(backend().delete(namespace, key));
				return LuaValue.TRUE;
			}
			String value = encode(args.arg(2));
			await(backend().set(namespace, key, value, ttl(args.arg(3))));
			return LuaValue.TRUE;
		})));
		storage.set(LuaKeys.key("exists"), LuaFunctions.named("exists", (args) -> call(
				() -> LuaValue.valueOf(Boolean.TRUE.equals(await(backend().exists(namespace, key(args, 1))))))));
		storage.set(LuaKeys.key("delete"), LuaFunctions.named("delete", (args) -> call(
				() -> LuaValue.valueOf(Boolean.TRUE.equals(await(backend().delete(namespace, key(args, 1))))))));
		storage.set(LuaKeys.key("list"), LuaFunctions.named("list", (args) -> call(() -> {
			String prefix = args.isnoneornil(1) ? "" : args.checkjstring(1);
			List<String> keys = await(backend().list(namespace, prefix).collectList());
			LuaTable list = new LuaTable();
			keys.forEach((key) -> list.insert(0, LuaValue.valueOf(key)));
			return list;
		})));
		storage.set(LuaKeys.key("read"), LuaFunctions.named("read", (args) -> call(() -> {
			String text = await(backend().read(namespace, key(args, 1)));
			return (text != null) ? LuaValue.valueOf(text) : LuaValue.NIL;
		})));
		storage.set(LuaKeys.key("write"), LuaFunctions.named("write", (args) -> call(() -> {
			String name = key(args, 1);
			await(backend().write(namespace, name, args.checkjstring(2)));
			return LuaValue.TRUE;
		})));
		return storage;
	}

	private Varargs call(java.util.function.Supplier<Varargs> body) {
		try {
			return body.get();
		}
		catch (StoreException ex) {
			return LuaFunctions.failure(ex.getMessage());
		}
	}

	private StorageBackend backend() {
		if (backend == null) {
			throw new StoreException("storage: not available in this runtime");
		}
		return backend;
	}

	private <T> T await(Mono<T> work) {
		CompletableFuture<T> future = work.toFuture();
		try {
			return RunWaits.await(run.guard(), future);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof StoreException store) ? store
					: new StoreException("storage: " + ex.getCause().getClass().getSimpleName(), ex.getCause());
		}
	}

	private static String key(Varargs args, int index) {
		return args.checkjstring(index);
	}

	private static Duration ttl(LuaValue ttl) {
		if (ttl.isnil()) {
			return null;
		}
		double seconds = ttl.checkdouble();
		if (!(seconds > 0)) {
			throw new LuaError("bad argument #3 to 'set' (ttl must be a positive number of seconds)");
		}
		return Duration.ofNanos(LlmModule.seconds(seconds));
	}

	private String encode(LuaValue value) {
		try {
			String text = JSON.writeValueAsString(LuaValues.toJava(value));
			run.guard().allocated(text.length());
			return text;
		}
		catch (JacksonException ex) {
			throw new StoreException("storage: the value cannot be stored (" + ex.getOriginalMessage() + ")");
		}
		catch (LuaError ex) {
			throw new StoreException("storage: the value cannot be stored (" + ex.getMessage() + ")");
		}
	}

	private LuaValue decode(String text) {
		try {
			run.guard().allocated(text.length());
			return LuaValues.toLua(JSON.readValue(text, Object.class));
		}
		catch (JacksonException ex) {
			throw new StoreException("storage: a stored value is not JSON");
		}
	}

}
