package io.llmspell.store;

import java.util.UUID;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.llmspell.cluster.ClusterRedis;
import io.llmspell.cluster.RedisServer;
import io.llmspell.cluster.RedisStorageBackend;

/**
 * The storage contract against a real Redis: each test's backend has a key prefix of its
 * own, so each starts over an empty store.
 */
class RedisStorageBackendTests extends StorageBackendContract {

	static RedisServer server;

	static ClusterRedis redis;

	@BeforeAll
	static void startRedis() throws Exception {
		server = RedisServer.start();
		redis = new ClusterRedis(RedisURI.create(server.url()), "");
	}

	@AfterAll
	static void stopRedis() throws Exception {
		if (redis != null) {
			redis.destroy();
		}
		if (server != null) {
			server.close();
		}
	}

	@Override
	StorageBackend backend(StoreQuota quota) {
		return new RedisStorageBackend(redis, "test-" + UUID.randomUUID() + ":", quota);
	}

}
