package io.llmspell.llm;

import java.util.EnumSet;
import java.util.Set;

/**
 * Request options beyond the basics that a provider may or may not honour. A request that
 * uses one its provider lacks is refused, never sent with the option dropped.
 */
public enum ChatFeature {

	TOOLS("tools"), SCHEMA("schema"), STOP("stop"), TOP_P("top_p"), SEED("seed"), RESPONSE_FORMAT("response_format");

	private final String option;

	ChatFeature(String option) {
		this.option = option;
	}

	/** The option's name as a spell writes it. */
	public String option() {
		return option;
	}

	/** The features {@code request} uses. */
	public static Set<ChatFeature> usedBy(ChatRequest request) {
		Set<ChatFeature> used = EnumSet.noneOf(ChatFeature.class);
		if (!request.tools().isEmpty()) {
			used.add(TOOLS);
		}
		if (request.schema() != null) {
			used.add(SCHEMA);
		}
		if (!request.stop().isEmpty()) {
			used.add(STOP);
		}
		if (request.topP() != null) {
			used.add(TOP_P);
		}
		if (request.seed() != null) {
			used.add(SEED);
		}
		if (request.responseFormat() != null) {
			used.add(RESPONSE_FORMAT);
		}
		return used;
	}

}
