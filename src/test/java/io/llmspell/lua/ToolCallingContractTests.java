package io.llmspell.lua;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.llmspell.llm.LlmProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function calling and structured output against a provider's API (WireMock), through a
 * whole run: the exact requests, two tool calls in one turn, the follow-up carrying both
 * results, streamed tool-call deltas, a tool that raises, a structured answer and one
 * that does not conform. Subclasses give the provider and its wire format.
 */
abstract class ToolCallingContractTests {

	@RegisterExtension
	static final WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	static final String TOOLS = """
			tools.register("get_weather", "Weather of a city",
			  {type = "object", properties = {city = {type = "string"}}, required = {"city"}},
			  function(args) return {city = args.city, temp = 21} end)
			tools.register("explode", "Always fails", {type = "object", properties = {}},
			  function(args) error("boom") end)
			""";

	static final String SCHEMA = "{type = \"object\", properties = {name = {type = \"string\"}, age = {type = \"integer\"}},"
			+ " required = {\"name\", \"age\"}}";

	protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final LuaRunFixture fixture = new LuaRunFixture();

	private LlmProvider provider;

	// --- what a subclass gives

	protected abstract LlmProvider create();

	protected abstract String chatPath();

	/** The text that marks a request carrying tool results. */
	protected abstract String resultMarker();

	/** The first request of the weather question, exactly. */
	protected abstract String firstToolsRequest();

	/** An answer calling get_weather {"city":"Paris"} (id 1) and explode {} (id 2). */
	protected abstract String twoToolCalls();

	/** The follow-up request with both results, the second an error, exactly. */
	protected abstract String followUpRequest();

	protected abstract String finalAnswer(String text);

	/** The same two calls streamed, their arguments in pieces. */
	protected abstract String streamedTwoToolCalls();

	protected abstract String streamedAnswer(String text);

	/** A structured-output request for {@link #SCHEMA}, exactly. */
	protected abstract String structuredRequest();

	/** The answer {@code json} given as a structured answer. */
	protected abstract String structuredAnswer(String json);

	@BeforeEach
	void setUp() {
		provider = create();
		fixture.provider = provider;
	}

	@AfterEach
	void close() throws Exception {
		((AutoCloseable) provider).close();
	}

	private void stubTurns(String first, String then) {
		wm.stubFor(post(urlPathEqualTo(chatPath())).atPriority(5).willReturn(okJson(first)));
		wm.stubFor(post(urlPathEqualTo(chatPath())).atPriority(1)
			.withRequestBody(containing(resultMarker()))
			.willReturn(okJson(then)));
	}

	private List<String> requestBodies() {
		return wm.getAllServeEvents()
			.stream()
			.sorted(java.util.Comparator.comparing((ServeEvent event) -> event.getRequest().getLoggedDate()))
			.map((event) -> event.getRequest().getBodyAsString())
			.toList();
	}

	@Test
	void twoToolCallsRunAndBothResultsGoBackTheRaisingOneAsAnError() {
		stubTurns(twoToolCalls(), finalAnswer("It is 21 in Paris."));
		RunOutcome outcome = fixture.run(TOOLS + """
				local text, err = llm.chat("Weather in Paris?", {tools = {"get_weather", "explode"}})
				print(text, err)
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("It is 21 in Paris.\tnil");
		List<String> bodies = requestBodies();
		assertThat(bodies).hasSize(2);
		assertThat(equalToJson(firstToolsRequest()).match(bodies.get(0)).isExactMatch()).as(bodies.get(0)).isTrue();
		assertThat(equalToJson(followUpRequest()).match(bodies.get(1)).isExactMatch()).as(bodies.get(1)).isTrue();
		List<Map<String, Object>> tools = fixture.events("tool");
		assertThat(tools).hasSize(2);
		assertThat(tools.get(0)).containsEntry("name", "get_weather")
			.containsEntry("ok", true)
			.containsEntry("args", Map.of("city", "Paris"))
			.containsEntry("result", Map.of("city", "Paris", "temp", 21L));
		assertThat(tools.get(1)).containsEntry("name", "explode")
			.containsEntry("ok", false)
			.containsEntry("error", "main.lua:5: boom");
		// usage sums over both turns (10+5, then 20+7)
		assertThat(outcome.usage()).containsEntry("calls", 2L)
			.containsEntry("promptTokens", 30L)
			.containsEntry("completionTokens", 12L);
	}

	@Test
	void streamedToolCallDeltasAreAssembledAndTheAnswerStreams() {
		wm.stubFor(post(urlPathEqualTo(chatPath())).atPriority(5)
			.willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(streamedTwoToolCalls())));
		wm.stubFor(post(urlPathEqualTo(chatPath())).atPriority(1)
			.withRequestBody(containing(resultMarker()))
			.willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
				.withBody(streamedAnswer("Sunny in Paris."))));
		RunOutcome outcome = fixture.run(TOOLS + """
				local pieces = {}
				local err = llm.stream_chat("Weather in Paris?", function(piece) pieces[#pieces + 1] = piece end,
				  {tools = {"get_weather", "explode"}})
				print(err, table.concat(pieces))
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("nil\tSunny in Paris.");
		assertThat(fixture.events("tool")).extracting((event) -> event.get("args"))
			.containsExactly(Map.of("city", "Paris"), Map.of());
		List<String> bodies = requestBodies();
		assertThat(bodies).hasSize(2);
		assertThat(bodies.get(1)).contains(resultMarker()).contains("21").contains("boom");
	}

	@Test
	void asyncCallsRunTheLoopToo() {
		stubTurns(twoToolCalls(), finalAnswer("Async answer."));
		RunOutcome outcome = fixture.run(TOOLS + """
				llm.chat_async("Weather in Paris?", function(text, info)
				  print(text, info.steps, info.usage.prompt_tokens)
				end, nil, {tools = {"get_weather", "explode"}})
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("Async answer.\t2\t30");
		assertThat(fixture.events("tool")).hasSize(2);
	}

	@Test
	void aStructuredAnswerIsALuaTableThatConforms() {
		stubTurns(structuredAnswer("{\"name\":\"Ada\",\"age\":36}"), "{}");
		RunOutcome outcome = fixture.run("local v, err = llm.chat(\"Who?\", {schema = " + SCHEMA + "})\n"
				+ "print(type(v), v.name, v.age, err)");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.output()).containsExactly("table\tAda\t36\tnil");
		String body = requestBodies().get(0);
		assertThat(equalToJson(structuredRequest()).match(body).isExactMatch()).as(body).isTrue();
	}

	@Test
	void aNonConformingAnswerIsNilAndWhatFailed() {
		stubTurns(structuredAnswer("{\"name\":\"Ada\",\"age\":\"old\"}"), "{}");
		fixture.run("print(llm.chat(\"Who?\", {schema = " + SCHEMA + "}))");
		assertThat(fixture.output()).singleElement()
			.asString()
			.startsWith("nil\t")
			.contains("does not conform")
			.contains("age")
			.contains("integer");
	}

}
