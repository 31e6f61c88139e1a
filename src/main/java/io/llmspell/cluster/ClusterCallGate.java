package io.llmspell.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.llmspell.cluster.ClusterProperties.OnLimit;
import io.llmspell.cluster.ClusterProperties.ProviderLimits;
import io.llmspell.cluster.ClusterRedis.Script;
import io.llmspell.llm.CallGate;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.Usage;

/**
 * The providers' limits over the whole cluster
 * ({@code llmspell.cluster.limits.<provider>}): requests and tokens per minute as token
 * buckets in Redis (bucket4j, compare-and-swap over Lettuce), and the requests in flight
 * as leased permits in a sorted set. Tokens are known only once an answer reports them,
 * so they are taken after the fact; a request goes out while the minute's tokens are not
 * spent. A request over a limit waits (its call's timeout still applies) or fails at once
 * as the provider's own 429 would.
 */
final class ClusterCallGate implements CallGate {

	/**
	 * Takes a permit unless {@code max} are held. KEYS: the set. ARGV: max, permit, lease
	 * (ms). Expired permits (an instance that died holding them) are dropped first.
	 */
	static final Script ACQUIRE = Script.of("""
			local now = redis.call('TIME')
			local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
			redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[3]), ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			return 1
			""");

	private static final Duration MAX_POLL = Duration.ofMillis(250);

	private final ClusterRedis redis;

	private final Map<String, ProviderLimits> limits;

	private final Duration permitLease;

	private final AsyncProxyManager<String> buckets;

	private final Map<String, AsyncBucketProxy> proxies = new ConcurrentHashMap<>();

	/**
	 * @param permitLease how long an in-flight permit lasts when its holder never gives
	 * it back (an instance that died): longer than any call
	 */
	ClusterCallGate(ClusterRedis redis, Map<String, ProviderLimits> limits, Duration permitLease) {
		this.redis = redis;
		this.limits = limits;
		this.permitLease = permitLease;
		this.buckets = Bucket4jLettuce.casBasedBuilder(redis.binary())
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(2)))
			.build()
			.asAsync();
	}

	@Override
	public <T> Mono<T> admit(String provider, Mono<T> attempt, Function<T, Usage> usageOf) {
		ProviderLimits limit = limits.get(provider);
		if (limit == null) {
			return attempt;
		}
		return Mono.usingWhen(Mono.defer(() -> acquire(provider, limit)),
				(permit) -> attempt.doOnNext((answer) -> permit.spent(spend(provider, limit, usageOf, answer))),
				this::release, (permit, error) -> release(permit), this::release);
	}

	@Override
	public <T> Flux<T> admit(String provider, Flux<T> attempt, Function<T, Usage> usageOf) {
		ProviderLimits limit = limits.get(provider);
		if (limit == null) {
			return attempt;
		}
		return Flux.usingWhen(Mono.defer(() -> acquire(provider, limit)),
				(permit) -> attempt.doOnNext((item) -> permit.spent(spend(provider, limit, usageOf, item))),
				this::release, (permit, error) -> release(permit), this::release);
	}

	/** Passes the per-minute buckets, then takes an in-flight permit (or none needed). */
	private Mono<Permit> acquire(String provider, ProviderLimits limit) {
		Mono<Void> perMinute = Mono.when(requests(provider, limit), tokens(provider, limit));
		if (limit.maxInFlight() <= 0) {
			return perMinute.then(Mono.fromSupplier(() -> new Permit(null, null)));
		}
		Permit permit = new Permit(redis.key("limit:{" + provider + "}:in-flight"), UUID.randomUUID().toString());
		return perMinute.then(inFlight(provider, limit, permit)).thenReturn(permit);
	}

	private Mono<Void> requests(String provider, ProviderLimits limit) {
		if (limit.requestsPerMinute() <= 0) {
			return Mono.empty();
		}
		AsyncBucketProxy bucket = bucket(provider, "requests", limit.requestsPerMinute());
		return Mono.defer(() -> Mono.fromFuture(bucket.tryConsumeAndReturnRemaining(1))).flatMap((probe) -> {
			if (probe.isConsumed()) {
				return Mono.<Void>empty();
			}
			return over(provider, limit, "its cluster limit of " + limit.requestsPerMinute() + " requests per minute",
					Duration.ofNanos(probe.getNanosToWaitForRefill()))
				.then(requests(provider, limit));
		});
	}

	private Mono<Void> tokens(String provider, ProviderLimits limit) {
		if (limit.tokensPerMinute() <= 0) {
			return Mono.empty();
		}
		AsyncBucketProxy bucket = bucket(provider, "tokens", limit.tokensPerMinute());
		return Mono.defer(() -> Mono.fromFuture(bucket.estimateAbilityToConsume(1))).flatMap((probe) -> {
			if (probe.canBeConsumed()) {
				return Mono.<Void>empty();
			}
			return over(provider, limit, "its cluster limit of " + limit.tokensPerMinute() + " tokens per minute",
					Duration.ofNanos(probe.getNanosToWaitForRefill()))
				.then(tokens(provider, limit));
		});
	}

	private Mono<Void> inFlight(String provider, ProviderLimits limit, Permit permit) {
		String[] keys = { permit.key() };
		return redis
			.<Long>eval(ACQUIRE, ScriptOutputType.INTEGER, keys, String.valueOf(limit.maxInFlight()), permit.id(),
					String.valueOf(permitLease.toMillis()))
			.next()
			.flatMap((granted) -> {
				if (granted == 1) {
					return Mono.<Void>empty();
				}
				// no one tells a waiter when a permit comes back: look again soon, with
				// jitter so that waiters spread
				Duration poll = Duration.ofMillis(20 + ThreadLocalRandom.current().nextLong(MAX_POLL.toMillis()));
				return over(provider, limit, "its cluster limit of " + limit.maxInFlight() + " requests in flight",
						poll)
					.then(inFlight(provider, limit, permit));
			});
	}

	/** Over a limit: wait {@code delay}, or fail as configured. */
	private static Mono<Void> over(String provider, ProviderLimits limit, String what, Duration delay) {
		if (limit.onLimit() == OnLimit.FAIL) {
			return Mono.error(new LlmException(provider, 429, provider + " is at " + what));
		}
		return Mono.delay(delay.isZero() ? Duration.ofMillis(1) : delay).then();
	}

	/** Takes the tokens an answer reports; null when there are none to take. */
	private CompletableFuture<?> spend(String provider, ProviderLimits limit, Function<?, Usage> usageOf,
			Object answer) {
		if (limit.tokensPerMinute() <= 0 || usageOf == null) {
			return null;
		}
		@SuppressWarnings("unchecked")
		Usage usage = ((Function<Object, Usage>) usageOf).apply(answer);
		long tokens = (usage != null) ? usage.promptTokens() + usage.completionTokens() : 0;
		if (tokens <= 0) {
			return null;
		}
		// may go below zero: the next requests wait until the minute has refilled it
		return bucket(provider, "tokens", limit.tokensPerMinute()).consumeIgnoringRateLimits(tokens);
	}

	/**
	 * Gives the permit back once the tokens are counted: the call ends only when the next
	 * one would see them.
	 */
	private Mono<Void> release(Permit permit) {
		Mono<Void> counted = Mono.fromFuture(permit.spending()).onErrorResume((ex) -> Mono.empty()).then();
		if (permit.id() == null) {
			return counted;
		}
		return counted.then(redis.commands().zrem(permit.key(), permit.id()).onErrorResume((ex) -> Mono.empty()))
			.then();
	}

	private AsyncBucketProxy bucket(String provider, String kind, long perMinute) {
		return proxies.computeIfAbsent(provider + ":" + kind,
				(name) -> buckets.builder()
					.build(redis.key("limit:{" + provider + "}:" + kind),
							() -> CompletableFuture.completedFuture(BucketConfiguration.builder()
								.addLimit(Bandwidth.builder()
									.capacity(perMinute)
									.refillGreedy(perMinute, Duration.ofMinutes(1))
									.build())
								.build())));
	}

	/**
	 * A call's pass: its in-flight permit (a member of the provider's sorted set; none
	 * when there is no such limit) and the token counts still being written.
	 */
	private static final class Permit {

		private final String key;

		private final String id;

		private final List<CompletableFuture<?>> spending = new CopyOnWriteArrayList<>();

		Permit(String key, String id) {
			this.key = key;
			this.id = id;
		}

		String key() {
			return key;
		}

		String id() {
			return id;
		}

		void spent(CompletableFuture<?> future) {
			if (future != null) {
				spending.add(future);
			}
		}

		CompletableFuture<Void> spending() {
			return CompletableFuture.allOf(spending.toArray(CompletableFuture[]::new));
		}

	}

}
