package io.llmspell.llm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.llmspell.llm.mock.MockProvider;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The providers this instance has, by name, and which one is the default. */
@Component
public class LlmProviders {

	private final Map<String, LlmProvider> byName = new LinkedHashMap<>();

	private final String defaultName;

	public LlmProviders(List<LlmProvider> providers, LlmProperties properties) {
		this(providers, properties, ObservationRegistry.NOOP);
	}

	/** Every provider's calls are observed (spans, timers): see ObservedLlmProvider. */
	@Autowired
	public LlmProviders(List<LlmProvider> providers, LlmProperties properties,
			ObjectProvider<ObservationRegistry> observations) {
		this(providers, properties, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	private LlmProviders(List<LlmProvider> providers, LlmProperties properties, ObservationRegistry observations) {
		providers.forEach((provider) -> byName.put(provider.name(),
				observations.isNoop() ? provider : new ObservedLlmProvider(provider, observations)));
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
