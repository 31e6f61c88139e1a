package io.llmspell.tools;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A structured answer: the model's text decoded as JSON (a Markdown code fence around it
 * is allowed) and validated against the schema asked for.
 */
public final class StructuredAnswer {

	private StructuredAnswer() {
	}

	/**
	 * The answer as a plain Java value.
	 * @throws IllegalArgumentException naming what failed: no JSON, or what does not
	 * conform
	 */
	public static Object decode(String text, JsonSchema schema) {
		String json = unfence((text != null) ? text.strip() : "");
		Object value;
		try {
			value = JsonMapper.shared().readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("the answer is not JSON: " + abbreviate(json));
		}
		String problems = schema.describe(value);
		if (problems != null) {
			throw new IllegalArgumentException("the answer does not conform to the schema: " + problems);
		}
		return value;
	}

	private static String unfence(String text) {
		if (text.startsWith("```")) {
			int firstLine = text.indexOf('\n');
			int end = text.lastIndexOf("```");
			if (firstLine > 0 && end > firstLine) {
				return text.substring(firstLine + 1, end).strip();
			}
		}
		return text;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 57) + "...";
	}

}
