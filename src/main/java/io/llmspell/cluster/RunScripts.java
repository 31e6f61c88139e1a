package io.llmspell.cluster;

import io.llmspell.cluster.ClusterRedis.Script;

/** The Lua scripts that keep a run's keys consistent: each is one atomic step. */
final class RunScripts {

	private RunScripts() {
	}

	/**
	 * Appends one event. KEYS: stream, meta, lease. ARGV: event id, name, data, max
	 * length, TTL while running (s), channel, done (1/0), retention (s), finishedAt,
	 * status, cancelReason. Returns 1, 0 when the id is there already (a retry, or the
	 * run was declared lost), -1 when the run's hash is missing (Redis lost its data):
	 * the writer writes it and the events again.
	 */
	static final Script WRITE = Script
		.of("""
					if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
					local added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], ARGV[1] .. '-0', 'e', ARGV[2], 'd', ARGV[3])
					if type(added) == 'table' and added.err then
				  if tonumber(redis.call('HGET', KEYS[2], 'last') or '0') < tonumber(ARGV[1]) then
				    redis.call('HSET', KEYS[2], 'last', ARGV[1])
				  end
				  return 0
				end
					local ttl = ARGV[5]
					if ARGV[7] == '1' then
					  redis.call('HSET', KEYS[2], 'last', ARGV[1], 'state', 'finished', 'finishedAt', ARGV[9], 'status', ARGV[10], 'cancelReason', ARGV[11])
					  redis.call('DEL', KEYS[3])
					  ttl = ARGV[8]
					else
					  redis.call('HSET', KEYS[2], 'last', ARGV[1])
					end
					redis.call('EXPIRE', KEYS[1], ttl)
					redis.call('EXPIRE', KEYS[2], ttl)
					redis.call('PUBLISH', ARGV[6], ARGV[1])
					return 1
					""");

	/**
	 * Writes the run's hash (and its lease). KEYS: meta, lease. ARGV: TTL (s), lease (ms,
	 * 0 for none), owner, then field, value, ...
	 */
	static final Script META = Script.of("""
			redis.call('HSET', KEYS[1], unpack(ARGV, 4))
			redis.call('HSETNX', KEYS[1], 'last', '0')
			redis.call('EXPIRE', KEYS[1], ARGV[1])
			if ARGV[2] ~= '0' then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2]) end
			return 1
			""");

	/**
	 * Renews the lease of a run going on, and tells where it is. KEYS: meta, lease,
	 * stream. ARGV: owner, lease (ms), TTL (s), state, startedAt, cancelReason. Returns 0
	 * when the hash is missing.
	 */
	static final Script RENEW = Script.of("""
			if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
			if redis.call('HGET', KEYS[1], 'state') == 'finished' then return 1 end
			redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
			redis.call('HSET', KEYS[1], 'state', ARGV[4], 'startedAt', ARGV[5], 'cancelReason', ARGV[6])
			redis.call('EXPIRE', KEYS[1], ARGV[3])
			redis.call('EXPIRE', KEYS[3], ARGV[3])
			return 1
			""");

	/**
	 * Ends a run whose lease ran out with {@code error} and {@code done}, once. KEYS:
	 * stream, meta, lease. ARGV: finishedAt, channel, error data, done data, retention
	 * (s). Returns 1 when it ended it now, 0 when it is alive or finished, -1 when
	 * unknown.
	 */
	static final Script LOST = Script
		.of("""
				if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
				if redis.call('HGET', KEYS[2], 'state') == 'finished' then return 0 end
				if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
				local last = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
				redis.call('XADD', KEYS[1], (last + 1) .. '-0', 'e', 'error', 'd', ARGV[3])
				redis.call('XADD', KEYS[1], (last + 2) .. '-0', 'e', 'done', 'd', ARGV[4])
				redis.call('HSET', KEYS[2], 'last', tostring(last + 2), 'state', 'finished', 'status', 'error', 'finishedAt', ARGV[1])
				redis.call('EXPIRE', KEYS[1], ARGV[5])
				redis.call('EXPIRE', KEYS[2], ARGV[5])
				redis.call('PUBLISH', ARGV[2], tostring(last + 2))
				return 1
				""");

}
