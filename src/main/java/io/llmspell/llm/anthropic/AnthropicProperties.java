package io.llmspell.llm.anthropic;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * The Anthropic provider, under {@code llmspell.llm.anthropic}. Empty values take the
 * defaults.
 *
 * @param apiKey sent as {@code x-api-key}
 * @param baseUrl the API root, {@code https://api.anthropic.com} by default
 * @param model the model used when a call names none
 * @param maxTokens {@code max_tokens} when a call sets none (Anthropic requires one)
 * @param version the {@code anthropic-version} header
 */
@ConfigurationProperties("llmspell.llm.anthropic")
public record AnthropicProperties(String apiKey, @DefaultValue(AnthropicProperties.DEFAULT_BASE_URL) String baseUrl,
		@DefaultValue(AnthropicProperties.DEFAULT_MODEL) String model, @DefaultValue("1024") int maxTokens,
		@DefaultValue(AnthropicProperties.DEFAULT_VERSION) String version) {

	public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

	public static final String DEFAULT_MODEL = "claude-3-5-haiku-latest";

	public static final String DEFAULT_VERSION = "2023-06-01";

	@ConstructorBinding
	public AnthropicProperties {
		apiKey = StringUtils.hasText(apiKey) ? apiKey.strip() : null;
		baseUrl = StringUtils.hasText(baseUrl) ? baseUrl.strip() : DEFAULT_BASE_URL;
		model = StringUtils.hasText(model) ? model.strip() : DEFAULT_MODEL;
		maxTokens = (maxTokens > 0) ? maxTokens : 1024;
		version = StringUtils.hasText(version) ? version.strip() : DEFAULT_VERSION;
	}

	public AnthropicProperties(String apiKey, String baseUrl, String model) {
		this(apiKey, baseUrl, model, 1024, DEFAULT_VERSION);
	}

	@Override
	public String toString() {
		return "AnthropicProperties[apiKey=" + ((apiKey != null) ? "***" : "none") + ", baseUrl=" + baseUrl + ", model="
				+ model + ", maxTokens=" + maxTokens + ", version=" + version + "]";
	}

}
