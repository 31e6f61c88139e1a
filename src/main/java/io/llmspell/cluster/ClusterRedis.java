package io.llmspell.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * This instance's connections to the cluster's Redis (Lettuce): one multiplexed
 * connection for commands, one for pub/sub. Lettuce reconnects by itself, resubscribes
 * the channels, and times out commands after {@code llmspell.cluster.command-timeout}.
 */
public final class ClusterRedis implements DisposableBean {

	private final ClientResources resources;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final StatefulRedisConnection<String, byte[]> binary;

	private final StatefulRedisPubSubConnection<String, String> pubSub;

	private final Flux<io.lettuce.core.pubsub.api.reactive.ChannelMessage<String, String>> messages;

	private final Map<String, AtomicInteger> listeners = new ConcurrentHashMap<>();

	private final String prefix;

	private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

	public ClusterRedis(RedisURI uri, String prefix) {
		this.prefix = prefix;
		this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
		this.client = RedisClient.create(resources, uri);
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.timeoutOptions(TimeoutOptions.enabled(uri.getTimeout()))
			.build());
		this.connection = client.connect();
		this.binary = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		this.pubSub = client.connectPubSub();
		this.messages = pubSub.reactive().observeChannels().share();
	}

	/**
	 * Where to connect: {@code llmspell.cluster.redis-url}, else
	 * {@code spring.data.redis.*}.
	 */
	static RedisURI uri(ClusterProperties properties, Environment environment) {
		String url = StringUtils.hasText(properties.redisUrl()) ? properties.redisUrl()
				: environment.getProperty("spring.data.redis.url");
		RedisURI uri;
		if (StringUtils.hasText(url)) {
			uri = RedisURI.create(url.strip());
		}
		else {
			uri = RedisURI.builder()
				.withHost(environment.getProperty("spring.data.redis.host", "localhost"))
				.withPort(environment.getProperty("spring.data.redis.port", Integer.class, 6379))
				.withDatabase(environment.getProperty("spring.data.redis.database", Integer.class, 0))
				.withSsl(environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false))
				.build();
			String password = environment.getProperty("spring.data.redis.password");
			if (StringUtils.hasText(password)) {
				String username = environment.getProperty("spring.data.redis.username");
				if (StringUtils.hasText(username)) {
					uri.setCredentialsProvider(io.lettuce.core.RedisCredentialsProvider
						.from(() -> io.lettuce.core.RedisCredentials.just(username, password)));
				}
				else {
					uri.setPassword(password.toCharArray());
				}
			}
		}
		uri.setTimeout(properties.commandTimeout());
		return uri;
	}

	public RedisReactiveCommands<String, String> commands() {
		return connection.reactive();
	}

	/** String keys, byte values: what bucket4j keeps its buckets in. */
	StatefulRedisConnection<String, byte[]> binary() {
		return binary;
	}

	/** {@code name} with the configured prefix. */
	public String key(String name) {
		return prefix + name;
	}

	/**
	 * The messages published on {@code channel}, for as long as the flux is subscribed;
	 * the channel is subscribed while anyone listens.
	 */
	public Flux<String> listen(String channel) {
		return Flux.defer(() -> {
			AtomicInteger count = listeners.computeIfAbsent(channel, (name) -> new AtomicInteger());
			Mono<Void> subscribed = (count.getAndIncrement() == 0) ? pubSub.reactive().subscribe(channel)
					: Mono.empty();
			Flux<String> received = messages.filter((message) -> message.getChannel().equals(channel))
				.map(io.lettuce.core.pubsub.api.reactive.ChannelMessage::getMessage);
			return subscribed.onErrorResume((ex) -> Mono.empty()).thenMany(received).doFinally((signal) -> {
				if (count.decrementAndGet() == 0) {
					pubSub.reactive().unsubscribe(channel).onErrorResume((ex) -> Mono.empty()).subscribe();
				}
			});
		});
	}

	public Mono<Long> publish(String channel, String message) {
		return commands().publish(channel, message);
	}

	/**
	 * Runs a Lua script by its digest, loading it when Redis does not have it (first use,
	 * or after a restart).
	 */
	public <T> Flux<T> eval(Script script, ScriptOutputType type, String[] keys, String... args) {
		return Flux.defer(() -> commands().<T>evalsha(script.sha(), type, keys, args))
			.onErrorResume(RedisNoScriptException.class, (ex) -> commands().<T>eval(script.text(), type, keys, args));
	}

	@Override
	public void destroy() {
		if (!closed.compareAndSet(false, true)) {
			return;
		}
		pubSub.closeAsync();
		binary.closeAsync();
		connection.close();
		client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		resources.shutdown();
	}

	/** A Lua script and its SHA-1, as EVALSHA wants it. */
	public record Script(String text, String sha) {

		public static Script of(String text) {
			try {
				java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-1");
				return new Script(text, java.util.HexFormat.of()
					.formatHex(digest.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
