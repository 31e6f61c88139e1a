package io.llmspell.cluster;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when a Redis is configured: {@code llmspell.cluster.redis-url}, or Spring's
 * {@code spring.data.redis.url} or {@code spring.data.redis.host}. The conditions report
 * ({@code --debug}, {@code /actuator/conditions}) names the property it found.
 */
class ClusterConfigured extends SpringBootCondition {

	static final List<String> PROPERTIES = List.of("llmspell.cluster.redis-url", "spring.data.redis.url",
			"spring.data.redis.host");

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("llmspell cluster (Redis)");
		for (String property : PROPERTIES) {
			if (StringUtils.hasText(context.getEnvironment().getProperty(property))) {
				return ConditionOutcome.match(message.found("property").items(property));
			}
		}
		return ConditionOutcome.noMatch(message.didNotFind("property").items(PROPERTIES.toArray()));
	}

}
