package io.llmspell.llm;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Base of the conditions that switch a provider on: it is configured when any of the
 * named properties has text (an empty {@code ${OPENAI_API_KEY:}} does not count).
 */
public abstract class ProviderConfigured implements Condition {

	private final String[] properties;

	protected ProviderConfigured(String... properties) {
		this.properties = properties;
	}

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Binder binder = Binder.get(context.getEnvironment());
		for (String property : properties) {
			if (binder.bind(property, String.class).map(StringUtils::hasText).orElse(false)) {
				return true;
			}
		}
		return false;
	}

}
