package io.llmspell.lua;

import java.util.ArrayList;
import java.util.List;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.ToolSpec;
import io.llmspell.tools.JsonSchema;
import io.llmspell.tools.Tool;
import io.llmspell.tools.ToolConversation;
import io.llmspell.tools.ToolRegistry;

/**
 * Turns a prompt and its options into an {@link LlmCall}: the provider and model, the
 * messages, the tools offered, the compiled schema. An option the chosen provider cannot
 * honour is refused here, before anything is sent.
 */
final class LlmRequests {

	private final ProviderSelection selection;

	private final ToolRegistry tools;

	private int lastId;

	LlmRequests(ProviderSelection selection, ToolRegistry tools) {
		this.selection = selection;
		this.tools = tools;
	}

	int nextId() {
		return ++lastId;
	}

	/**
	 * @throws LlmOptions.Invalid for options that cannot be used
	 * @throws LuaError for a prompt that is no prompt (a programming error)
	 */
	LlmCall prepare(String kind, LuaValue prompt, int promptIndex, LlmOptions options) {
		List<ChatMessage> messages = messages(prompt, promptIndex);
		LlmProvider provider = selection.providerFor(options);
		JsonSchema schema = null;
		if (options.schema() != null) {
			try {
				schema = JsonSchema.compile(options.schema());
			}
			catch (IllegalArgumentException ex) {
				throw new LlmOptions.Invalid("bad option 'schema' (" + ex.getMessage() + ")");
			}
		}
		ChatRequest request = new ChatRequest(selection.modelFor(options, provider), messages, options.system(),
				options.temperature(), options.maxTokens(), options.timeout(), toolSpecs(options), options.schema(),
				options.stop(), options.topP(), options.seed(), options.responseFormat());
		String refusal = provider.refusal(request);
		if (refusal != null) {
			throw new LlmOptions.Invalid(provider.name() + ": " + refusal);
		}
		return new LlmCall(nextId(), kind, provider, new ToolConversation(request, options.maxSteps()), schema);
	}

	private List<ToolSpec> toolSpecs(LlmOptions options) {
		List<String> names = options.allTools() ? tools.names() : options.tools();
		if (names == null) {
			return List.of();
		}
		List<ToolSpec> specs = new ArrayList<>();
		for (String name : names) {
			Tool tool = tools.get(name)
				.orElseThrow(() -> new LlmOptions.Invalid(
						"unknown tool '" + name + "' in opts.tools; registered: " + String.join(", ", tools.names())));
			specs.add(tool.spec());
		}
		return specs;
	}

	static List<ChatMessage> messages(LuaValue prompt, int index) {
		if (prompt.isstring()) {
			return List.of(ChatMessage.user(prompt.tojstring()));
		}
		if (!prompt.istable()) {
			throw new LuaError("bad argument #" + index + " (prompt must be a string or a list of messages, got "
					+ prompt.typename() + ")");
		}
		List<ChatMessage> messages = new ArrayList<>();
		for (int i = 1; i <= prompt.length(); i++) {
			LuaValue message = prompt.get(i);
			if (!message.istable()) {
				throw new LuaError("message " + i + " must be a table {role=, content=}");
			}
			messages
				.add(new ChatMessage(message.get("role").optjstring("user"), message.get("content").checkjstring()));
		}
		if (messages.isEmpty()) {
			throw new LuaError("bad argument #" + index + " (the message list is empty)");
		}
		return messages;
	}

}
