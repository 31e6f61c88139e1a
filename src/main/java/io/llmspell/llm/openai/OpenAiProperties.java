package io.llmspell.llm.openai;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * The OpenAI provider (and anything speaking its Chat Completions API: Ollama, vLLM,
 * LiteLLM...), under {@code llmspell.llm.openai}. Empty values take the defaults.
 *
 * @param apiKey sent as {@code Authorization: Bearer}; may be empty for servers that need
 * none
 * @param baseUrl the API root, {@code https://api.openai.com/v1} by default
 * @param model the model used when a call names none
 */
@ConfigurationProperties("llmspell.llm.openai")
public record OpenAiProperties(String apiKey, @DefaultValue(OpenAiProperties.DEFAULT_BASE_URL) String baseUrl,
		@DefaultValue(OpenAiProperties.DEFAULT_MODEL) String model) {

	public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

	public static final String DEFAULT_MODEL = "gpt-4o-mini";

	public OpenAiProperties {
		apiKey = StringUtils.hasText(apiKey) ? apiKey.strip() : null;
		baseUrl = StringUtils.hasText(baseUrl) ? baseUrl.strip() : DEFAULT_BASE_URL;
		model = StringUtils.hasText(model) ? model.strip() : DEFAULT_MODEL;
	}

	@Override
	public String toString() {
		return "OpenAiProperties[apiKey=" + ((apiKey != null) ? "***" : "none") + ", baseUrl=" + baseUrl + ", model="
				+ model + "]";
	}

}
