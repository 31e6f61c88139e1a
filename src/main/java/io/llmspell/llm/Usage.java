package io.llmspell.llm;

/**
 * Tokens a call consumed, as the provider reported them. A call whose provider reported
 * none has no {@code Usage} ({@code null}): unknown, shown as null, never as 0.
 */
public record Usage(long promptTokens, long completionTokens) {

	public static final Usage NONE = new Usage(0, 0);

	public Usage plus(Usage other) {
		return (other == null) ? this
				: new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
	}

}
