package io.llmspell.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.llmspell.cluster.ClusterRedis.Script;
import io.llmspell.store.StorageBackend;
import io.llmspell.store.StoreException;
import io.llmspell.store.StoreQuota;
import io.llmspell.store.StoreUsage;

/**
 * The {@code storage} module's data in the cluster's Redis
 * ({@code llmspell.storage.backend=redis}), so that every instance sees the same. A
 * namespace is four keys in one hash slot: {@code store:{ns}:k} (a hash of the values),
 * {@code store:{ns}:b} (a hash of the blobs), {@code store:{ns}:x} (the values' expiry
 * times, a sorted set) and {@code store:{ns}:u} (what the quota counts), the namespace
 * written in URL-safe Base64 so that no two namespaces share keys. Every write is one Lua
 * script: it drops the expired values, checks the quota and writes, atomically, whichever
 * instance writes. Times are Redis's own ({@code TIME}), so the instances' clocks do not
 * matter.
 */
public final class RedisStorageBackend implements StorageBackend {

	/** Redis's clock, in milliseconds. */
	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	/** Drops the values whose time ran out; a function the writing scripts begin with. */
	private static final String PURGE = NOW + """
			local function purge(k, x, u)
			  local expired = redis.call('ZRANGEBYSCORE', x, '-inf', now)
			  for _, key in ipairs(expired) do
			    local old = redis.call('HGET', k, key)
			    if old then
			      redis.call('HDEL', k, key)
			      redis.call('HINCRBY', u, 'entries', -1)
			      redis.call('HINCRBY', u, 'bytes', -(#key + #old))
			    end
			  end
			  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', x, '-inf', now) end
			end
			""";

	/**
	 * KEYS: target hash (values or blobs), values, expiries, usage. ARGV: key, value, ttl
	 * (ms, 0 none), max entries, max bytes, 1 for a value (0 blob). Returns {0} or {1,
	 * entries, bytes, new (1/0), replaced, size} when the quota refuses it.
	 */
	private static final Script PUT = Script.of(PURGE + """
			purge(KEYS[2], KEYS[3], KEYS[4])
			local key, value = ARGV[1], ARGV[2]
			local old = redis.call('HGET', KEYS[1], key)
			local entries = tonumber(redis.call('HGET', KEYS[4], 'entries') or '0')
			local bytes = tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0')
			local size = #key + #value
			local replaced = 0
			local new = 1
			if old then replaced = #key + #old; new = 0 end
			if (new == 1 and entries + 1 > tonumber(ARGV[4])) or (bytes - replaced + size > tonumber(ARGV[5])) then
			  return {1, entries, bytes, new, replaced, size}
			end
			redis.call('HSET', KEYS[1], key, value)
			redis.call('HINCRBY', KEYS[4], 'entries', new)
			redis.call('HINCRBY', KEYS[4], 'bytes', size - replaced)
			if ARGV[6] == '1' then
			  if tonumber(ARGV[3]) > 0 then
			    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), key)
			  else
			    redis.call('ZREM', KEYS[3], key)
			  end
			end
			return {0}
			""");

	/** KEYS: target, values, expiries, usage. ARGV: key. Returns 1 if it was there. */
	private static final Script REMOVE = Script.of(PURGE + """
			purge(KEYS[2], KEYS[3], KEYS[4])
			local old = redis.call('HGET', KEYS[1], ARGV[1])
			if not old then return 0 end
			redis.call('HDEL', KEYS[1], ARGV[1])
			if KEYS[1] == KEYS[2] then redis.call('ZREM', KEYS[3], ARGV[1]) end
			redis.call('HINCRBY', KEYS[4], 'entries', -1)
			redis.call('HINCRBY', KEYS[4], 'bytes', -(#ARGV[1] + #old))
			return 1
			""");

	/** KEYS: values, expiries. ARGV: key. The live value, or nil. */
	private static final Script GET = Script.of(NOW + """
			local at = redis.call('ZSCORE', KEYS[2], ARGV[1])
			if at and tonumber(at) <= now then return false end
			return redis.call('HGET', KEYS[1], ARGV[1])
			""");

	/** KEYS: values, expiries, usage. Returns {entries, bytes}, expired ones dropped. */
	private static final Script USAGE = Script.of(
			PURGE + """
					purge(KEYS[1], KEYS[2], KEYS[3])
					return {tonumber(redis.call('HGET', KEYS[3], 'entries') or '0'), tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')}
					""");

	/** KEYS: values, expiries. The live keys (unsorted). */
	private static final Script KEYS = Script.of(NOW + """
			local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
			local dead = {}
			for _, key in ipairs(expired) do dead[key] = true end
			local live = {}
			for _, key in ipairs(redis.call('HKEYS', KEYS[1])) do
			  if not dead[key] then table.insert(live, key) end
			end
			return live
			""");

	private final ClusterRedis redis;

	private final String prefix;

	private final StoreQuota quota;

	/**
	 * @param prefix the prefix of its keys ({@code llmspell.cluster.key-prefix})
	 */
	public RedisStorageBackend(ClusterRedis redis, String prefix, StoreQuota quota) {
		this.redis = redis;
		this.prefix = prefix;
		this.quota = quota;
	}

	@Override
	public Mono<String> get(String namespace, String key) {
		Keys keys = keys(namespace);
		return call(redis.<String>eval(GET, ScriptOutputType.VALUE, new String[] { keys.values, keys.expiries }, key)
			.next());
	}

	@Override
	public Mono<Void> set(String namespace, String key, String value, Duration ttl) {
		long ttlMillis = (ttl == null || ttl.isZero() || ttl.isNegative()) ? 0 : Math.max(1, ttl.toMillis());
		return put(namespace, key, value, ttlMillis, true);
	}

	@Override
	public Mono<Boolean> exists(String namespace, String key) {
		return get(namespace, key).map((value) -> true).defaultIfEmpty(false);
	}

	@Override
	public Mono<Boolean> delete(String namespace, String key) {
		Keys keys = keys(namespace);
		return remove(keys, keys.values, key);
	}

	@Override
	public Flux<String> list(String namespace, String prefix) {
		Keys keys = keys(namespace);
		String start = (prefix != null) ? prefix : "";
		return call(redis.<List<String>>eval(KEYS, ScriptOutputType.MULTI, new String[] { keys.values, keys.expiries })
			.next())
			.flatMapMany((all) -> Flux
				.fromStream(all.stream().map(String::valueOf).filter((key) -> key.startsWith(start)).sorted()));
	}

	@Override
	public Mono<String> read(String namespace, String name) {
		return call(redis.commands().hget(keys(namespace).blobs, name));
	}

	@Override
	public Mono<Void> write(String namespace, String name, String text) {
		return put(namespace, name, text, 0, false);
	}

	@Override
	public Mono<Boolean> deleteBlob(String namespace, String name) {
		Keys keys = keys(namespace);
		return remove(keys, keys.blobs, name);
	}

	@Override
	public Mono<StoreUsage> usage(String namespace) {
		Keys keys = keys(namespace);
		return call(redis
			.<List<Long>>eval(USAGE, ScriptOutputType.MULTI, new String[] { keys.values, keys.expiries, keys.usage })
			.next()).map((counts) -> new StoreUsage(counts.get(0), counts.get(1)));
	}

	private Mono<Void> put(String namespace, String key, String value, long ttlMillis, boolean isValue) {
		return Mono.defer(() -> {
			quota.checkEntry(key, value);
			Keys keys = keys(namespace);
			String[] keyList = { isValue ? keys.values : keys.blobs, keys.values, keys.expiries, keys.usage };
			return call(redis
				.<List<Long>>eval(PUT, ScriptOutputType.MULTI, keyList, key, value, String.valueOf(ttlMillis),
						String.valueOf(quota.maxEntries()), String.valueOf(quota.maxTotalBytes()), isValue ? "1" : "0")
				.next()).doOnNext((result) -> {
					if (result.get(0) != 0) {
						// the same words as every backend's refusal
						quota.checkRoom(new StoreUsage(result.get(1), result.get(2)), result.get(3) == 1, result.get(4),
								result.get(5));
					}
				}).then();
		});
	}

	private Mono<Boolean> remove(Keys keys, String target, String key) {
		return call(redis
			.<Long>eval(REMOVE, ScriptOutputType.INTEGER,
					new String[] { target, keys.values, keys.expiries, keys.usage }, key)
			.next()).map((removed) -> removed == 1);
	}

	private static <T> Mono<T> call(Mono<T> command) {
		return command.onErrorMap(RedisException.class,
				(ex) -> new StoreException("storage: the shared store did not answer", ex));
	}

	private Keys keys(String namespace) {
		String tag = Base64.getUrlEncoder().withoutPadding().encodeToString(namespace.getBytes(StandardCharsets.UTF_8));
		String base = prefix + "store:{" + tag + "}:";
		return new Keys(base + "k", base + "b", base + "x", base + "u");
	}

	private record Keys(String values, String blobs, String expiries, String usage) {

	}

}
