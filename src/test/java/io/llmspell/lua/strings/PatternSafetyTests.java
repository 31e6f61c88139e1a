package io.llmspell.lua.strings;

import static io.llmspell.lua.strings.LuaHarness.describe;
import static io.llmspell.lua.strings.LuaHarness.errorOf;
import static io.llmspell.lua.strings.LuaHarness.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Varargs;

/** Patterns cannot hold a core forever, nor overflow the Java stack. */
class PatternSafetyTests {

	private static final String CATASTROPHIC = "'.-.-.-.-.-.-.-b'";

	private Globals lua;

	@BeforeEach
	void setUp() {
		lua = LuaHarness.boundedGlobals();
	}

	@Test
	void deadlineStopsCatastrophicBacktracking() {
		TestBudget budget = TestBudget.withDeadline(16 << 20, Duration.ofMillis(200));
		long start = System.nanoTime();
		// pcall must not swallow the Error: it stops the whole run.
		assertThatThrownBy(
				() -> run(lua, budget, "return pcall(string.find, string.rep('a', 100000), " + CATASTROPHIC + ")"))
			.isInstanceOf(TestBudget.DeadlineExceeded.class);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(elapsed).isLessThan(Duration.ofMillis(1500));
		assertThat(budget.checkpoints).isPositive();
	}

	@Test
	void deadlineStopsEveryPatternFunction() {
		for (String call : new String[] { "string.match(s, " + CATASTROPHIC + ")",
				"string.gsub(s, " + CATASTROPHIC + ", '')", "string.gmatch(s, " + CATASTROPHIC + ")()",
				"string.find(s, '%b()')", // quadratic: every '(' scans to the end
				"string.find(s, '(.*)%1x')", // quadratic back-references
				"string.find(s, string.rep('(', 50000) .. 'x', 1, true)" }) {
			String prefix = call.contains("%b") || call.contains("true") ? "string.rep('(', 200000)"
					: "string.rep('a', 100000)";
			TestBudget budget = TestBudget.withDeadline(16 << 20, Duration.ofMillis(200));
			assertThatThrownBy(() -> run(lua, budget, "local s = " + prefix + " return " + call)).as(call)
				.isInstanceOf(TestBudget.DeadlineExceeded.class);
		}
	}

	@Test
	void catastrophicPatternStillWorksOnSmallSubjects() {
		assertThat(describe(run(lua, "return string.find(string.rep('a', 20) .. 'b', " + CATASTROPHIC + ")")))
			.containsExactly("number:1", "number:21");
		assertThat(describe(run(lua, "return string.find(string.rep('a', 12), " + CATASTROPHIC + ")")))
			.containsExactly("nil:nil");
	}

	@Test
	void deepRecursionIsTooComplex() {
		assertThat(errorOf(lua, "return string.match(string.rep('a', 300), string.rep('a?', 300))"))
			.contains("pattern too complex");
		assertThat(describe(run(lua, "return #string.match(string.rep('a', 150), string.rep('a?', 150))")))
			.containsExactly("number:150");
	}

	@Test
	void longSubjectsDoNotOverflowTheStack() throws InterruptedException {
		String code = """
				local s = string.rep('a', 1000000)
				local r = {}
				r[1] = #string.match(s, 'a*')
				r[2] = #string.match(s .. ' ', '(.-)%s')
				r[3] = #string.match(s, '^(a+)$')
				r[4] = #string.match(s, 'a-$')
				r[5] = select(2, string.gsub(string.rep('ab ', 300000), '(.-)%s', '%1'))
				r[6] = #string.match(s .. 'b', '.-b')
				r[7] = select(2, string.find(s, '[^b]*'))
				return table.concat(r, ',')
				""";
		// A small stack proves the depth does not grow with the subject.
		AtomicReference<Object> result = new AtomicReference<>();
		Thread thread = new Thread(null, () -> {
			try {
				Varargs v = run(LuaHarness.boundedGlobals(), TestBudget.of(16 << 20), code);
				result.set(v.arg1().tojstring());
			}
			catch (Throwable t) {
				result.set(t);
			}
		}, "small-stack", 256 * 1024);
		thread.start();
		thread.join();
		assertThat(result.get()).isEqualTo("1000000,1000000,1000000,1000000,300000,1000001,1000000");
	}

	@Test
	void largeNormalWorkloadSanity() {
		String code = """
				local words = string.rep('alpha beta  gamma\\t', 50000)
				local squeezed, n = string.gsub(words, '%s+', ' ')
				local count = 0
				for w in string.gmatch(squeezed, '%a+') do count = count + 1 end
				return n, count, #squeezed, string.find(words, 'gamma', 899000, true)
				""";
		assertThat(describe(run(lua, code))).containsExactly("number:150000", "number:150000", "number:850000",
				"number:899005", "number:899009");
	}

}
