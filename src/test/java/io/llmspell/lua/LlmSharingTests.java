package io.llmspell.lua;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.ConcurrencyLimiter;
import io.llmspell.llm.LlmProperties;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.LlmProviders;
import io.llmspell.llm.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs share a provider fairly: each run's calls in flight or queued are bounded
 * ({@code max-llm-calls}), and the provider's queue serves runs in turn, so a run that
 * floods it does not delay another run's single call by its backlog. Deterministic: the
 * provider answers a call only when the test opens its gate.
 */
class LlmSharingTests {

	private static final RunLimits LIMITS = LuaRunFixture.LIMITS;

	private final GatedProvider provider = new GatedProvider(new ConcurrencyLimiter("gated", 1, 1000));

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final LlmProviders providers = new LlmProviders(List.of(provider), LlmProperties.defaults());

	private CompletableFuture<RunOutcome> start(String runId, RunLimits limits, String source) {
		LuaRun run = new LuaRun(LuaRunFixture.spell(runId, source, Map.of()), Map.of(), runId, limits, providers,
				provider, "gated-1", (event, data) -> output.add(String.valueOf(data.get("text"))));
		return CompletableFuture.supplyAsync(run::execute);
	}

	@Test
	void aRunsSingleCallIsServedInTheFirstRoundBehindAFloodingRun() throws Exception {
		CompletableFuture<RunOutcome> flooder = start("flooder", LIMITS, """
				for i = 1, 300 do llm.chat_async('f' .. i, function() end) end
				async.wait_all()
				""");
		await().atMost(Duration.ofSeconds(10)).until(() -> provider.limiter.queued() == 299);
		CompletableFuture<RunOutcome> single = start("single", LIMITS, "return llm.chat('single')");
		await().atMost(Duration.ofSeconds(10)).until(() -> provider.limiter.queued() == 300);

		provider.answer("f1");
		provider.answer("f2");
		// the flooder was waiting first, so it had the first turn; the single call the
		// next
		await().atMost(Duration.ofSeconds(5)).until(() -> provider.started.size() == 3);
		assertThat(provider.started).containsExactly("f1", "f2", "single");
		provider.answer("single");
		assertThat(single.get(10, TimeUnit.SECONDS).result()).isEqualTo("answer to single");

		provider.openGate();
		assertThat(flooder.get(30, TimeUnit.SECONDS).status()).isEqualTo("ok");
		assertThat(provider.limiter.queued()).isZero();
		assertThat(provider.limiter.running()).isZero();
	}

	@Test
	void callsPastMaxLlmCallsFailAtOnceAndTheRunGoesOn() throws Exception {
		RunLimits three = new RunLimits(LIMITS.timeout(), LIMITS.maxInstructions(), LIMITS.maxMemory(),
				LIMITS.maxOutputBytes(), LIMITS.maxOutputEvents(), LIMITS.maxPending(), LIMITS.maxCoroutines(),
				LIMITS.maxStringSize(), LIMITS.maxCallDepth(), 3);
		CompletableFuture<RunOutcome> run = start("bounded", three, """
				local oks, errs = 0, {}
				for i = 1, 5 do
				  llm.chat_async('c' .. i, function() oks = oks + 1 end, function(e) errs[#errs + 1] = e end)
				end
				local text, err = llm.chat('blocking')
				print('all issued')
				async.wait_all()
				return { oks = oks, errs = errs, blocking = err, again = llm.chat('again') }
				""");
		await().atMost(Duration.ofSeconds(10)).until(() -> output.contains("all issued"));
		assertThat(provider.started.size() + provider.limiter.queued()).isEqualTo(3);
		provider.openGate();
		RunOutcome outcome = run.get(10, TimeUnit.SECONDS);
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		String refused = "gated: limit max-llm-calls exceeded: more than 3 LLM calls of this run in flight or queued";
		assertThat(outcome.result()).isEqualTo(
				Map.of("oks", 3L, "errs", List.of(refused, refused), "blocking", refused, "again", "answer to again"));
		assertThat(provider.started).containsExactly("c1", "c2", "c3", "again");
	}

	@Test
	void maxLlmCallsCanOnlyBeLowered() {
		RunLimits server = LIMITS.lowerWith(Map.of("max-llm-calls", 100));
		assertThat(server.maxLlmCalls()).isEqualTo(100);
		assertThat(server.lowerWith(Map.of("maxLlmCalls", 5)).maxLlmCalls()).isEqualTo(5);
		assertThat(server.lowerWith(Map.of("max-llm-calls", "1000")).maxLlmCalls()).isEqualTo(100);
	}

	/**
	 * Answers a call when the test opens its gate (or at once, once the gate is open);
	 * its calls go through a {@link ConcurrencyLimiter}, as an HTTP provider's do.
	 */
	static final class GatedProvider implements LlmProvider {

		final ConcurrencyLimiter limiter;

		final List<String> started = new CopyOnWriteArrayList<>();

		private final Map<String, Sinks.One<ChatResponse>> gates = new ConcurrentHashMap<>();

		private volatile boolean open;

		GatedProvider(ConcurrencyLimiter limiter) {
			this.limiter = limiter;
		}

		void answer(String prompt) {
			await().atMost(Duration.ofSeconds(10)).until(() -> gates.containsKey(prompt));
			gates.get(prompt).tryEmitValue(response(prompt));
		}

		void closeGate() {
			open = false;
			started.clear();
		}

		void openGate() {
			open = true;
			gates.forEach((prompt, gate) -> gate.tryEmitValue(response(prompt)));
		}

		private static ChatResponse response(String prompt) {
			return new ChatResponse("answer to " + prompt, "gated-1", Usage.NONE);
		}

		@Override
		public String name() {
			return "gated";
		}

		@Override
		public String defaultModel() {
			return "gated-1";
		}

		@Override
		public Mono<ChatResponse> chat(ChatRequest request) {
			List<ChatMessage> messages = request.messages();
			String prompt = String.valueOf(messages.get(messages.size() - 1).content());
			return limiter.limit(Mono.defer(() -> {
				started.add(prompt);
				Sinks.One<ChatResponse> gate = Sinks.one();
				gates.put(prompt, gate);
				if (open) {
					gate.tryEmitValue(response(prompt));
				}
				return gate.asMono();
			}));
		}

		@Override
		public Flux<ChatChunk> stream(ChatRequest request) {
			return chat(request).map((response) -> ChatChunk.text(response.text())).flux();
		}

		@Override
		public Mono<List<String>> listModels() {
			return Mono.just(List.of("gated-1"));
		}

	}

}
