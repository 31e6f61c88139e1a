package io.llmspell.spell;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SpellParameterBinderTests {

	private final SpellParameterBinder binder = new SpellParameterBinder();

	@Test
	void bodyAndQueryAreMergedInDeclaredOrderWithTheBodyWinning() {
		Spell spell = spell(param("a", ParameterType.STRING), param("b", ParameterType.STRING),
				param("c", ParameterType.STRING));

		Map<String, Object> bound = binder.bind(spell, Map.of("c", "body-c", "b", "body-b"),
				Map.of("b", List.of("query-b"), "a", List.of("query-a", "second")));

		assertThat(bound).isInstanceOf(LinkedHashMap.class);
		assertThat(bound).containsExactly(Map.entry("a", "query-a"), Map.entry("b", "body-b"),
				Map.entry("c", "body-c"));
	}

	@Test
	void defaultsFillAbsentParametersAndOptionalOnesWithoutDefaultAreLeftOut() {
		Spell spell = spell(new SpellParameter("greeting", ParameterType.STRING, null, "hi", false, List.of()),
				param("optional", ParameterType.STRING),
				new SpellParameter("n", ParameterType.INTEGER, null, 5L, false, List.of()));

		assertThat(binder.bind(spell, null, null)).containsExactly(Map.entry("greeting", "hi"), Map.entry("n", 5L));
		assertThat(binder.bind(spell, Map.of("n", 6), Map.of())).containsEntry("n", 6L);
	}

	@Test
	void aJsonNullCountsAsNotGiven() {
		Spell spell = spell(new SpellParameter("greeting", ParameterType.STRING, null, "hi", false, List.of()));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("greeting", null);

		assertThat(binder.bind(spell, body, Map.of("greeting", List.of("query")))).containsEntry("greeting", "query");
		assertThat(binder.bind(spell, body, Map.of())).containsEntry("greeting", "hi");
	}

	@Test
	void anUnknownParameterIsRefusedListingTheKnownOnes() {
		Spell spell = spell(param("a", ParameterType.STRING), param("b", ParameterType.STRING));

		assertRefused(() -> binder.bind(spell, Map.of("zz", "x"), Map.of()), "zz", "unknown parameter; known: a, b");
		assertRefused(() -> binder.bind(spell, Map.of(), Map.of("qq", List.of("x"))), "qq",
				"unknown parameter; known: a, b");
		assertRefused(() -> binder.bind(spell(), Map.of("x", 1), Map.of()), "x",
				"unknown parameter; this spell takes none");
	}

	@Test
	void aMissingRequiredParameterIsRefused() {
		Spell spell = spell(new SpellParameter("count", ParameterType.INTEGER, null, null, true, List.of()));

		assertRefused(() -> binder.bind(spell, Map.of(), Map.of()), "count", "is required");
		assertThat(binder.bind(spell, Map.of(), Map.of("count", List.of("2")))).containsEntry("count", 2L);
	}

	@Test
	void integerTakesIntegersIntegralNumbersAndIntegerText() {
		Spell spell = spell(param("n", ParameterType.INTEGER));

		assertThat(bindBody(spell, "n", 3)).isEqualTo(3L);
		assertThat(bindBody(spell, "n", 9_000_000_000L)).isEqualTo(9_000_000_000L);
		assertThat(bindBody(spell, "n", BigInteger.valueOf(12))).isEqualTo(12L);
		assertThat(bindBody(spell, "n", 3.0)).isEqualTo(3L);
		assertThat(bindBody(spell, "n", new BigDecimal("4.00"))).isEqualTo(4L);
		assertThat(bindBody(spell, "n", "3")).isEqualTo(3L);
		assertThat(bindQuery(spell, "n", "-7")).isEqualTo(-7L);
	}

	@Test
	void integerRefusesEverythingElse() {
		Spell spell = spell(param("n", ParameterType.INTEGER));

		assertRefused(() -> bindQuery(spell, "n", "abc"), "n", "expected integer, got \"abc\"");
		assertRefused(() -> bindBody(spell, "n", 3.5), "n", "expected integer, got 3.5");
		assertRefused(() -> bindBody(spell, "n", new BigDecimal("3.5")), "n", "expected integer, got 3.5");
		assertRefused(() -> bindBody(spell, "n", "3.0"), "n", "expected integer, got \"3.0\"");
		assertRefused(() -> bindBody(spell, "n", true), "n", "expected integer, got true");
		assertRefused(() -> bindBody(spell, "n", List.of(1)), "n", "expected integer, got an array");
		assertRefused(() -> bindQuery(spell, "n", "99999999999999999999"), "n",
				"expected integer, got \"99999999999999999999\"");
		assertRefused(() -> bindBody(spell, "n", 1e30), "n", "expected integer, got 1.0E30");
	}

	@Test
	void numberTakesNumbersAndNumericTextAsDouble() {
		Spell spell = spell(param("x", ParameterType.NUMBER));

		assertThat(bindBody(spell, "x", 2)).isEqualTo(2.0);
		assertThat(bindBody(spell, "x", 2.5)).isEqualTo(2.5);
		assertThat(bindBody(spell, "x", new BigDecimal("0.25"))).isEqualTo(0.25);
		assertThat(bindQuery(spell, "x", "-1.5e2")).isEqualTo(-150.0);
		assertThat(bindQuery(spell, "x", "3")).isEqualTo(3.0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "NaN", "Infinity", "0x10", "1.5f", "" })
	void numberRefusesOtherText(String text) {
		Spell spell = spell(param("x", ParameterType.NUMBER));

		assertRefused(() -> bindQuery(spell, "x", text), "x", "expected number, got \"" + text + "\"");
	}

	@Test
	void numberRefusesBooleans() {
		Spell spell = spell(param("x", ParameterType.NUMBER));

		assertRefused(() -> bindBody(spell, "x", false), "x", "expected number, got false");
	}

	@Test
	void booleanTakesBooleansAndTrueOrFalseInAnyCase() {
		Spell spell = spell(param("b", ParameterType.BOOLEAN));

		assertThat(bindBody(spell, "b", true)).isEqualTo(true);
		assertThat(bindQuery(spell, "b", "TRUE")).isEqualTo(true);
		assertThat(bindQuery(spell, "b", "False")).isEqualTo(false);
		assertRefused(() -> bindQuery(spell, "b", "yes"), "b", "expected boolean, got \"yes\"");
		assertRefused(() -> bindBody(spell, "b", 1), "b", "expected boolean, got 1");
	}

	@Test
	void stringTakesTextButRefusesNumbersAndBooleansInTheBody() {
		Spell spell = spell(param("s", ParameterType.STRING));

		assertThat(bindBody(spell, "s", "text")).isEqualTo("text");
		assertThat(bindQuery(spell, "s", "42")).isEqualTo("42");
		assertRefused(() -> bindBody(spell, "s", 42), "s", "expected string, got 42");
		assertRefused(() -> bindBody(spell, "s", true), "s", "expected string, got true");
		assertRefused(() -> bindBody(spell, "s", Map.of()), "s", "expected string, got an object");
	}

	@Test
	void arrayTakesJsonArraysAndJsonArrayTextFromTheQuery() {
		Spell spell = spell(param("tags", ParameterType.ARRAY));

		assertThat(bindBody(spell, "tags", List.of("a", 1))).isEqualTo(List.of("a", 1));
		assertThat(bindQuery(spell, "tags", "[\"a\",\"b\"]")).isEqualTo(List.of("a", "b"));
		assertRefused(() -> bindQuery(spell, "tags", "a,b"), "tags", "expected array, got \"a,b\"");
		assertRefused(() -> bindQuery(spell, "tags", "{\"a\":1}"), "tags", "expected array, got \"{\\\"a\\\":1}\"");
		assertRefused(() -> bindBody(spell, "tags", "[\"a\"]"), "tags", "expected array, got \"[\\\"a\\\"]\"");
	}

	@Test
	void objectTakesJsonObjectsAndJsonObjectTextFromTheQuery() {
		Spell spell = spell(param("meta", ParameterType.OBJECT));

		assertThat(bindBody(spell, "meta", Map.of("k", List.of(1, 2)))).isEqualTo(Map.of("k", List.of(1, 2)));
		assertThat(bindQuery(spell, "meta", "{\"k\":1}")).isEqualTo(Map.of("k", 1));
		assertRefused(() -> bindQuery(spell, "meta", "[1]"), "meta", "expected object, got \"[1]\"");
		assertRefused(() -> bindBody(spell, "meta", List.of()), "meta", "expected object, got an array");
	}

	@Test
	@SuppressWarnings("unchecked")
	void boundArraysAndObjectsCannotBeChangedAfterwards() {
		Spell spell = spell(param("tags", ParameterType.ARRAY));

		Object tags = bindBody(spell, "tags", new java.util.ArrayList<>(List.of("a")));

		assertThat(tags).isInstanceOf(List.class);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> ((List<Object>) tags).add("b"));
	}

	@Test
	void enumValuesAreCheckedAfterConversion() {
		Spell spell = spell(
				new SpellParameter("mode", ParameterType.STRING, null, null, false, List.of("fast", "slow")),
				new SpellParameter("level", ParameterType.INTEGER, null, null, false, List.of(1L, 2L)));

		assertThat(binder.bind(spell, Map.of("level", 2), Map.of("mode", List.of("slow"))))
			.containsExactly(Map.entry("mode", "slow"), Map.entry("level", 2L));
		assertThat(binder.bind(spell, Map.of(), Map.of("level", List.of("1")))).containsEntry("level", 1L);
		assertRefused(() -> binder.bind(spell, Map.of("mode", "medium"), Map.of()), "mode",
				"must be one of \"fast\", \"slow\"; got \"medium\"");
		assertRefused(() -> binder.bind(spell, Map.of("level", 3), Map.of()), "level", "must be one of 1, 2; got 3");
	}

	@Test
	void theFirstValueOfARepeatedQueryParameterIsUsed() {
		Spell spell = spell(param("n", ParameterType.INTEGER));

		assertThat(binder.bind(spell, Map.of(), Map.of("n", Arrays.asList("1", "x")))).containsEntry("n", 1L);
	}

	private Object bindBody(Spell spell, String name, Object value) {
		return binder.bind(spell, Map.of(name, value), Map.of()).get(name);
	}

	private Object bindQuery(Spell spell, String name, String value) {
		return binder.bind(spell, Map.of(), Map.of(name, List.of(value))).get(name);
	}

	private static void assertRefused(Runnable bind, String parameter, String reason) {
		assertThatExceptionOfType(InvalidParameterException.class).isThrownBy(bind::run).satisfies((ex) -> {
			assertThat(ex.parameter()).isEqualTo(parameter);
			assertThat(ex.reason()).isEqualTo(reason);
		}).withMessage("parameter '" + parameter + "': " + reason);
	}

	private static SpellParameter param(String name, ParameterType type) {
		return new SpellParameter(name, type, null, null, false, List.of());
	}

	private static Spell spell(SpellParameter... parameters) {
		return new Spell("test", "1.0.0", null, null, List.of(), List.of(parameters), Map.of(), null, Path.of("test"),
				"main.lua", null, Map.of());
	}

}
