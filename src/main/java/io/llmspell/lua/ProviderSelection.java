package io.llmspell.lua;

import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.LlmProviders;

/**
 * Which provider and model a run's calls use: the run's current choice
 * ({@code set_provider}, {@code set_model}), or what a call's options name. A call keeps
 * the provider it started with.
 */
final class ProviderSelection {

	private final LlmProviders providers;

	private LlmProvider provider;

	private String model;

	ProviderSelection(LlmProviders providers, LlmProvider provider, String model) {
		this.providers = providers;
		this.provider = provider;
		this.model = model;
	}

	LlmProviders providers() {
		return providers;
	}

	LlmProvider provider() {
		return provider;
	}

	String model() {
		return model;
	}

	/** The provider a call with these options uses. */
	LlmProvider providerFor(LlmOptions options) {
		return (options.provider() == null) ? provider : find(options.provider());
	}

	/** The model a call with these options uses on {@code chosen}. */
	String modelFor(LlmOptions options, LlmProvider chosen) {
		if (options.model() != null) {
			return options.model();
		}
		return (chosen == provider) ? model : chosen.defaultModel();
	}

	/** {@code set_provider}: {@code null} on success, else why not. */
	String select(String name) {
		try {
			provider = find(name);
			model = provider.defaultModel();
			return null;
		}
		catch (LlmOptions.Invalid ex) {
			return ex.getMessage();
		}
	}

	/** {@code set_model}: {@code null} on success, else why not. */
	String selectModel(String name) {
		if (name == null || name.isBlank()) {
			return "model name must be a non-empty string";
		}
		model = name;
		return null;
	}

	private LlmProvider find(String name) {
		return providers.find(name)
			.orElseThrow(() -> new LlmOptions.Invalid(
					"unknown provider '" + name + "'; configured: " + String.join(", ", providers.names())));
	}

}
