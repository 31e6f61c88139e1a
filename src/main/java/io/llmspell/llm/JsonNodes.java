package io.llmspell.llm;

import tools.jackson.databind.JsonNode;

/**
 * Lenient reads of provider JSON: a missing or differently typed value gives the default.
 */
public final class JsonNodes {

	private JsonNodes() {
	}

	public static String text(JsonNode node, String defaultValue) {
		return (node != null && node.isString()) ? node.stringValue() : defaultValue;
	}

	public static long number(JsonNode node) {
		return (node != null && node.isNumber()) ? node.asLong() : 0;
	}

	/** Whether {@code node} is there and not JSON {@code null}. */
	public static boolean present(JsonNode node) {
		return node != null && !node.isMissingNode() && !node.isNull();
	}

	/**
	 * The message of an {@code error} value: {@code error.message}, or {@code error}
	 * itself as text.
	 */
	public static String errorMessage(JsonNode error) {
		return error.isObject() ? text(error.path("message"), null) : text(error, null);
	}

}
