package io.llmspell.llm.mock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmspell.llm.ChatChunk;
import io.llmspell.llm.ChatFeature;
import io.llmspell.llm.ChatMessage;
import io.llmspell.llm.ChatRequest;
import io.llmspell.llm.ChatResponse;
import io.llmspell.llm.LlmException;
import io.llmspell.llm.LlmProvider;
import io.llmspell.llm.ToolCall;
import io.llmspell.llm.Usage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The embedded default: answers derived from the prompt alone, after a configured
 * latency, so that everything works without an API key. Two markers in the last user
 * message help tests and demos: {@code [fail]} makes the call fail, {@code [delay=N]}
 * sets its latency to N ms. Tools and schemas are played as {@link MockTurn} says;
 * {@code stop} cuts the answer at the first stop sequence; {@code timeout} fails the call
 * as a real provider's would. Its answers are the same whatever the temperature,
 * {@code top_p} or {@code seed}, so those are honoured trivially.
 */
@Component
public class MockProvider implements LlmProvider {

	public static final String NAME = "mock";

	private static final Duration MAX_DELAY = Duration.ofDays(1);

	private static final Pattern DELAY = Pattern.compile("\\[delay=(\\d+)]");

	private final MockProperties properties;

	public MockProvider(MockProperties properties) {
		this.properties = properties;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String defaultModel() {
		return properties.model();
	}

	@Override
	public Set<ChatFeature> features() {
		return EnumSet.allOf(ChatFeature.class);
	}

	@Override
	public Mono<ChatResponse> chat(ChatRequest request) {
		return stream(request).collectList().map((chunks) -> {
			StringBuilder text = new StringBuilder();
			Usage usage = Usage.NONE;
			List<ToolCall> calls = new ArrayList<>();
			for (ChatChunk chunk : chunks) {
				if (chunk.hasText()) {
					text.append(chunk.text());
				}
				usage = usage.plus(chunk.usage());
				calls.addAll(chunk.toolCalls());
			}
			return new ChatResponse(text.toString(), request.model(), usage, calls);
		});
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		String refusal = refusal(request);
		if (refusal != null) {
			return Flux.error(new LlmException(NAME, refusal));
		}
		return withTimeout(play(request), request.timeout());
	}

	private Flux<ChatChunk> play(ChatRequest request) {
		String prompt = lastUserMessage(request);
		Duration latency;
		try {
			latency = latencyFor(prompt);
		}
		catch (LlmException ex) {
			return Flux.error(ex);
		}
		if (prompt.contains("[fail]")) {
			return Mono.delay(latency)
				.then(Mono.<ChatChunk>error(new LlmException(NAME, 500, "simulated failure ([fail] in the prompt)")))
				.flux();
		}
		MockTurn turn = MockTurn.next(request, prompt);
		if (!turn.calls().isEmpty()) {
			Usage usage = new Usage(countTokens(request), turn.calls().size());
			return Mono.delay(latency).thenReturn(new ChatChunk("", usage, request.model(), turn.calls())).flux();
		}
		String answer = stopAt((turn.answer() != null) ? turn.answer() : answerTo(prompt, request.maxTokens()),
				request.stop());
		List<String> pieces = split(answer, Math.max(1, properties.chunks()));
		Duration step = latency.dividedBy(pieces.size());
		Usage usage = new Usage(countTokens(request), countWords(answer));
		return Flux.fromIterable(pieces)
			.concatMap((piece) -> Mono.delay(step).thenReturn(ChatChunk.text(piece)))
			.concatWithValues(new ChatChunk("", usage, request.model()));
	}

	/** A call's own timeout, as a real provider has it; none set means none. */
	private static Flux<ChatChunk> withTimeout(Flux<ChatChunk> answer, Duration timeout) {
		if (timeout == null || timeout.isZero() || timeout.isNegative()) {
			return answer;
		}
		return answer.timeout(Mono.delay(timeout), (chunk) -> Mono.never())
			.onErrorMap(TimeoutException.class, (error) -> new LlmException(NAME,
					"timeout: no complete answer within " + (timeout.toMillis() / 1000.0) + "s"));
	}

	private static String stopAt(String answer, List<String> stop) {
		int end = answer.length();
		for (String sequence : stop) {
			int at = sequence.isEmpty() ? -1 : answer.indexOf(sequence);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		return answer.substring(0, end);
	}

	@Override
	public Mono<List<String>> listModels() {
		return Mono.just(List.of(properties.model()));
	}

	/** The deterministic answer: the same prompt always gets the same text. */
	static String answerTo(String prompt, Integer maxTokens) {
		String clean = DELAY.matcher(prompt).replaceAll("").strip();
		String answer = "Mock answer to \"" + abbreviate(clean, 80) + "\" (#"
				+ Integer.toHexString(clean.hashCode() & 0xffff) + ")";
		if (maxTokens != null && maxTokens > 0) {
			String[] words = answer.split(" ");
			if (words.length > maxTokens) {
				answer = String.join(" ", List.of(words).subList(0, maxTokens));
			}
		}
		return answer;
	}

	/**
	 * The latency {@code [delay=N]} asks for (N ms, at most a day), else the configured
	 * one.
	 */
	static Duration latencyFor(String prompt, Duration configured) {
		Matcher delay = DELAY.matcher(prompt);
		if (!delay.find()) {
			return configured;
		}
		String millis = delay.group(1);
		// at most 8 digits: a day is 86400000 ms, and no Long overflows
		if (millis.length() > 8 || Long.parseLong(millis) > MAX_DELAY.toMillis()) {
			throw new LlmException(NAME, "[delay=" + millis + "] is too long: at most " + MAX_DELAY.toMillis() + " ms");
		}
		return Duration.ofMillis(Long.parseLong(millis));
	}

	private Duration latencyFor(String prompt) {
		return latencyFor(prompt, properties.latency());
	}

	private static String lastUserMessage(ChatRequest request) {
		List<ChatMessage> messages = request.messages();
		for (int i = messages.size() - 1; i >= 0; i--) {
			if ("user".equals(messages.get(i).role())) {
				return String.valueOf(messages.get(i).content());
			}
		}
		return messages.isEmpty() ? "" : String.valueOf(messages.get(messages.size() - 1).content());
	}

	private static List<String> split(String text, int parts) {
		List<String> pieces = new ArrayList<>();
		int size = Math.max(1, (int) Math.ceil(text.length() / (double) parts));
		for (int i = 0; i < text.length(); i += size) {
			pieces.add(text.substring(i, Math.min(text.length(), i + size)));
		}
		return pieces.isEmpty() ? List.of("") : pieces;
	}

	private static long countTokens(ChatRequest request) {
		long words = (request.system() != null) ? countWords(request.system()) : 0;
		for (ChatMessage message : request.messages()) {
			words += countWords(String.valueOf(message.content()));
		}
		return words;
	}

	private static long countWords(String text) {
		String stripped = text.strip();
		return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
	}

	private static String abbreviate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max - 3) + "...";
	}

}
