package io.llmspell.cluster;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several instances sharing runs, provider limits and storage through Redis, under
 * {@code llmspell.cluster}. Nothing here is used unless a Redis is configured
 * ({@link ClusterConfigured}).
 *
 * @param redisUrl {@code redis://[user:password@]host:port[/database]} ({@code rediss://}
 * for TLS); when empty, Spring's {@code spring.data.redis.*} apply
 * @param instanceId this instance's name in the cluster; empty takes {@code HOSTNAME}
 * (the pod's name on Kubernetes), else a random one
 * @param keyPrefix the prefix of every key and channel
 * @param leaseTtl a run whose instance has not renewed its lease for this long is
 * {@code lost}
 * @param pollInterval how often a watcher of another instance's run looks for events it
 * was not told of, and whether the run is still alive
 * @param unavailableTimeout how long a watcher waits for an unreachable Redis before its
 * stream ends with an error
 * @param commandTimeout the longest wait for one Redis command
 * @param limits cluster-wide limits per provider name ({@code openai}, {@code anthropic},
 * ...)
 */
@ConfigurationProperties("llmspell.cluster")
public record ClusterProperties(String redisUrl, String instanceId, @DefaultValue("llmspell:") String keyPrefix,
		@DefaultValue("10s") Duration leaseTtl, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("30s") Duration unavailableTimeout, @DefaultValue("5s") Duration commandTimeout,
		Map<String, ProviderLimits> limits) {

	public ClusterProperties {
		limits = (limits != null) ? Map.copyOf(limits) : Map.of();
	}

	/**
	 * One provider's limits over the whole cluster; 0 means no limit.
	 *
	 * @param requestsPerMinute requests (retries included) per minute
	 * @param tokensPerMinute tokens (prompt and completion) per minute; a request waits
	 * while the minute's tokens are spent
	 * @param maxInFlight requests in flight at once
	 * @param onLimit {@code wait} (within the call's timeout) or {@code fail} at once
	 * (the call fails like a provider's 429)
	 */
	public record ProviderLimits(int requestsPerMinute, long tokensPerMinute, int maxInFlight,
			@DefaultValue("wait") OnLimit onLimit) {

	}

	/** What a call over a limit does. */
	public enum OnLimit {

		WAIT, FAIL

	}

}
