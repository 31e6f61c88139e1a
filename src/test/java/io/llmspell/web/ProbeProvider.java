package io.llmspell.web;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.mock.MockProvider;

/**
 * The mock provider, counting the requests that start and those aborted before they
 * answer.
 */
class ProbeProvider implements LlmProvider {

	final AtomicInteger started = new AtomicInteger();

	final AtomicInteger aborted = new AtomicInteger();

	private final MockProvider mock;

	ProbeProvider(MockProvider mock) {
		this.mock = mock;
	}

	@Override
	public String name() {
		return "probe";
	}

	@Override
	public String defaultModel() {
		return mock.defaultModel();
	}

	@Override
	public Mono<ChatResponse> chat(ChatRequest request) {
		return mock.chat(request)
			.doOnSubscribe((subscription) -> started.incrementAndGet())
			.doOnCancel(aborted::incrementAndGet);
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		return mock.stream(request)
			.doOnSubscribe((subscription) -> started.incrementAndGet())
			.doOnCancel(aborted::incrementAndGet);
	}

	@Override
	public Mono<List<String>> listModels() {
		return mock.listModels();
	}

	/**
	 * Adds the probe to a test's context, where it becomes the default provider (the
	 * first that is not the mock).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Configuration {

		@Bean
		ProbeProvider probeProvider(MockProvider mock) {
			return new ProbeProvider(mock);
		}

	}

}
