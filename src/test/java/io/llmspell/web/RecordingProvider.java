package io.llmspell.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.LlmProvider;

/**
 * Wraps a provider and records when each call started and ended (nanoTime), so tests can
 * prove that calls overlapped without relying on tight timers.
 */
public final class RecordingProvider implements LlmProvider {

	public record Call(String prompt, long startNanos, long endNanos) {
	}

	private final LlmProvider delegate;

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	public RecordingProvider(LlmProvider delegate) {
		this.delegate = delegate;
	}

	@Override
	public String name() {
		return "recording";
	}

	@Override
	public String defaultModel() {
		return delegate.defaultModel();
	}

	@Override
	public Mono<ChatResponse> chat(ChatRequest request) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return delegate.chat(request)
				.doOnSuccess((response) -> calls
					.add(new Call(request.messages().get(0).content(), start, System.nanoTime())));
		});
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		return delegate.stream(request);
	}

	@Override
	public Mono<List<String>> listModels() {
		return delegate.listModels();
	}

	@Override
	public java.util.Set<io.llmspell.llm.ChatFeature> features() {
		return delegate.features();
	}

	public List<Call> calls() {
		return List.copyOf(calls);
	}

	public void clear() {
		calls.clear();
	}

}
