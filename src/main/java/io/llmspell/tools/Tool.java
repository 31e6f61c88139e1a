package io.llmspell.tools;

import java.util.Map;

import io.llmspell.llm.ToolSpec;

/** A registered tool: what the model is told of it, its compiled schema, its handler. */
public record Tool(String name, String description, JsonSchema schema, ToolHandler handler, boolean builtIn) {

	public Map<String, Object> parameters() {
		return schema.source();
	}

	public ToolSpec spec() {
		return new ToolSpec(name, description, parameters());
	}

}
