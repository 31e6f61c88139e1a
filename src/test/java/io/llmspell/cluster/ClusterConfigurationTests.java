package io.llmspell.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.context.annotation.UserConfigurations;

import io.llmspell.run.RemoteRuns;
import io.llmspell.run.RunListener;
import io.llmspell.store.StorageBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster exists only when a Redis is configured; without one nothing of it is
 * created, so nothing connects and no health check can fail.
 */
class ClusterConfigurationTests {

	static RedisServer redis;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(UserConfigurations.of(ClusterConfiguration.class));

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopRedis() throws Exception {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void withoutARedisNothingOfTheClusterExists() {
		runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ClusterRedis.class)
				.doesNotHaveBean(RemoteRuns.class)
				.doesNotHaveBean(RunListener.class)
				.doesNotHaveBean(ReactiveHealthIndicator.class)
				.doesNotHaveBean(StorageBackend.class);
			ConditionAndOutcomes outcomes = ConditionEvaluationReport.get(context.getBeanFactory())
				.getConditionAndOutcomesBySource()
				.get(ClusterConfiguration.class.getName());
			assertThat(outcomes.isFullMatch()).isFalse();
			assertThat(outcomes.iterator().next().getOutcome().getMessage())
				.contains("did not find property llmspell.cluster.redis-url");
		});
	}

	@Test
	void theClusterRedisUrlSwitchesItOn() {
		runner.withPropertyValues("llmspell.cluster.redis-url=" + redis.url()).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ClusterRedis.class)
				.hasSingleBean(RemoteRuns.class)
				.hasSingleBean(RunListener.class)
				.doesNotHaveBean(StorageBackend.class);
			ConditionAndOutcomes outcomes = ConditionEvaluationReport.get(context.getBeanFactory())
				.getConditionAndOutcomesBySource()
				.get(ClusterConfiguration.class.getName());
			assertThat(outcomes.isFullMatch()).isTrue();
			assertThat(context.getBean(ReactiveHealthIndicator.class).health(false).block().getStatus())
				.isEqualTo(Status.UP);
		});
	}

	@Test
	void springDataRedisPropertiesSwitchItOnToo() {
		runner
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
					"llmspell.storage.backend=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ClusterRedis.class);
				assertThat(context.getBean(StorageBackend.class)).isInstanceOf(RedisStorageBackend.class);
				assertThat(context.getBean(ClusterRedis.class).commands().ping().block()).isEqualTo("PONG");
			});
	}

}
