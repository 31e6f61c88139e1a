package io.llmspell.lua;

import java.util.Map;

import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.Usage;
import io.llmspell.tools.JsonSchema;
import io.llmspell.tools.StructuredAnswer;
import io.llmspell.tools.ToolConversation;

import org.luaj.vm2.LuaValue;

/**
 * One LLM call of a spell, over all its turns: its id, the provider it started with, the
 * conversation (with tools, several turns), and the schema its answer must fit.
 */
final class LlmCall {

	final int id;

	final String kind;

	final LlmProvider provider;

	final ToolConversation conversation;

	/** The compiled {@code opts.schema}, or {@code null}. */
	final JsonSchema schema;

	final long startNanos = System.nanoTime();

	LlmCall(int id, String kind, LlmProvider provider, ToolConversation conversation, JsonSchema schema) {
		this.id = id;
		this.kind = kind;
		this.provider = provider;
		this.conversation = conversation;
		this.schema = schema;
	}

	String model() {
		return conversation.request().model();
	}

	Usage usage() {
		return conversation.usage();
	}

	/**
	 * The final answer as Java (text, or the structured value).
	 * @throws IllegalArgumentException when a structured answer is no JSON or does not
	 * fit
	 */
	Object answer(String text) {
		if (schema == null) {
			return text;
		}
		try {
			return StructuredAnswer.decode(text, schema);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(provider.name() + ": " + ex.getMessage(), ex);
		}
	}

	static LuaValue toLua(Object answer) {
		return (answer instanceof String text) ? LuaValue.valueOf(text) : LuaValues.toLua(answer);
	}

	static Map<String, Object> usageMap(Usage usage) {
		Map<String, Object> map = LuaValues.ordered();
		// not reported: null (unknown), not 0
		map.put("promptTokens", (usage != null) ? usage.promptTokens() : null);
		map.put("completionTokens", (usage != null) ? usage.completionTokens() : null);
		return map;
	}

}
