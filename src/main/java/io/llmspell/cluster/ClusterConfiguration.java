package io.llmspell.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import io.llmspell.llm.CallGate;
import io.llmspell.llm.HttpLlmProvider;
import io.llmspell.llm.LlmProperties;
import io.llmspell.run.LimitsProperties;
import io.llmspell.run.RunsProperties;
import io.llmspell.store.StorageProperties;

/**
 * The service as one of several instances sharing a Redis: there only when one is
 * configured ({@link ClusterConfigured}); without it nothing here exists, and runs,
 * limits and storage stay in this instance's memory.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ClusterConfigured.class)
@EnableConfigurationProperties({ ClusterProperties.class, RunsProperties.class, LimitsProperties.class,
		LlmProperties.class, StorageProperties.class })
public class ClusterConfiguration {

	@Bean
	ClusterRedis clusterRedis(ClusterProperties properties, Environment environment) {
		return new ClusterRedis(ClusterRedis.uri(properties, environment), properties.keyPrefix());
	}

	@Bean
	ClusterInstance clusterInstance(ClusterProperties properties) {
		return new ClusterInstance(instanceId(properties));
	}

	@Bean
	RunMirror runMirror(ClusterRedis redis, ClusterProperties properties, ClusterInstance instance, RunsProperties runs,
			LimitsProperties limits) {
		return new RunMirror(redis, properties, instance.id(), runs, limits);
	}

	@Bean
	RedisRuns redisRuns(ClusterRedis redis, ClusterProperties properties, RunsProperties runs) {
		return new RedisRuns(redis, properties, runs);
	}

	@Bean
	ClusterCallGate clusterCallGate(ClusterRedis redis, ClusterProperties properties, LlmProperties llm) {
		// a permit whose holder died goes back after twice the longest call
		return new ClusterCallGate(redis, properties.limits(), llm.timeout().multipliedBy(2));
	}

	/** Every HTTP provider's requests pass the cluster's limits. */
	@Bean
	static BeanPostProcessor clusterLimitsForProviders(ObjectProvider<ClusterCallGate> gate) {
		CallGate lazy = new CallGate() {

			@Override
			public <T> Mono<T> admit(String provider, Mono<T> attempt,
					java.util.function.Function<T, io.llmspell.llm.Usage> usageOf) {
				return Mono.defer(() -> gate.getObject().admit(provider, attempt, usageOf));
			}

			@Override
			public <T> reactor.core.publisher.Flux<T> admit(String provider, reactor.core.publisher.Flux<T> attempt,
					java.util.function.Function<T, io.llmspell.llm.Usage> usageOf) {
				return reactor.core.publisher.Flux.defer(() -> gate.getObject().admit(provider, attempt, usageOf));
			}

		};
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
				if (bean instanceof HttpLlmProvider provider) {
					provider.gateCalls(lazy);
				}
				return bean;
			}

		};
	}

	/**
	 * The storage module's data in this Redis, on {@code llmspell.storage.backend=redis}.
	 */
	@Bean
	@ConditionalOnProperty(name = "llmspell.storage.backend", havingValue = "redis")
	RedisStorageBackend redisStorageBackend(ClusterRedis redis, ClusterProperties properties,
			StorageProperties storage) {
		return new RedisStorageBackend(redis, properties.keyPrefix(), storage.quota());
	}

	/**
	 * {@code redis} in {@code /actuator/health}; not in the liveness or readiness groups:
	 * a Redis outage must not restart or unlist every instance at once.
	 */
	@Bean
	ReactiveHealthIndicator redisHealthIndicator(ClusterRedis redis) {
		return () -> redis.commands()
			.ping()
			.map((pong) -> Health.up().build())
			.onErrorResume((ex) -> Mono.just(Health.down(ex).build()));
	}

	static String instanceId(ClusterProperties properties) {
		if (StringUtils.hasText(properties.instanceId())) {
			return properties.instanceId();
		}
		String hostname = System.getenv("HOSTNAME");
		if (StringUtils.hasText(hostname)) {
			return hostname;
		}
		try {
			return InetAddress.getLocalHost().getHostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
		}
		catch (UnknownHostException ex) {
			return UUID.randomUUID().toString();
		}
	}

	/** This instance's name in the cluster. */
	record ClusterInstance(String id) {

	}

}
