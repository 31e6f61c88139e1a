package io.llmspell.llm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.llmspell.llm.mock.MockProvider;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The providers this instance has, by name, and which one is the default. */
@Component
public class LlmProviders {

	private final Map<String, LlmProvider> byName = new LinkedHashMap<>();

	private final String defaultName;

	public LlmProviders(List<LlmProvider> providers, LlmProperties properties) {
		providers.forEach((provider) -> byName.put(provider.name(), provider));
		this.defaultName = chooseDefault(properties.provider());
	}

	private String chooseDefault(String configured) {
		if (StringUtils.hasText(configured)) {
			if (!byName.containsKey(configured)) {
				throw new IllegalStateException("llmspell.llm.provider names '" + configured
						+ "', which is not configured; configured providers: " + byName.keySet());
			}
			return configured;
		}
		return byName.keySet()
			.stream()
			.filter((name) -> !name.equals(MockProvider.NAME))
			.findFirst()
			.orElse(MockProvider.NAME);
	}

	public Optional<LlmProvider> find(String name) {
		return Optional.ofNullable(byName.get(name));
	}

	public LlmProvider defaultProvider() {
		return byName.get(defaultName);
	}

	public Set<String> names() {
		return byName.keySet();
	}

}
