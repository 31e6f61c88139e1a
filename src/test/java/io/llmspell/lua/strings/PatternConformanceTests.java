package io.llmspell.lua.strings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;

/**
 * Runs the same pattern expressions through LuaJ's original {@code StringLib} and ours
 * and expects identical results. The cases avoid the spots where LuaJ departs from Lua
 * 5.2, such as its broken {@code %f} (see {@link Lua52SemanticsTests}); they call
 * {@code string.f(...)} on the library table, since the string metatable is JVM-wide.
 */
class PatternConformanceTests {

	private static final String HELPERS = """
			function gm(s, p)
			  local t = {}
			  for a, b in string.gmatch(s, p) do t[#t + 1] = tostring(a) .. "|" .. tostring(b) end
			  return table.concat(t, ",")
			end
			function pack(...) return select('#', ...), ... end
			""";

	private static Globals original;

	private static Globals bounded;

	@BeforeAll
	static void globals() {
		original = LuaHarness.originalGlobals();
		bounded = LuaHarness.boundedGlobals();
		LuaHarness.run(original, HELPERS);
		LuaHarness.run(bounded, HELPERS);
	}

	static Stream<String> cases() {
		return Stream.of(
				// find: plain, init, negative init, plain flag, anchors, captures
				"string.find('hello world', 'o w')", "string.find('hello world', 'o', 6)",
				"string.find('hello world', 'l', -3)", "string.find('hello world', 'l+')",
				"string.find('a.b.c', '.', 1, true)", "string.find('a+b', '+', 1, true)",
				"string.find('a.b', '.', 2, false)", "string.find('hello', 'xyz')", "string.find('hello', 'l', 10)",
				"string.find('hello', '', 3)", "string.find('hello', '', 6)", "string.find('hello', 'h', -100)",
				"string.find('key = value', '(%w+)%s*=%s*(%w+)')", "string.find('hello', '()ll()')",
				"string.find('THE (quick) fox', '%((%a+)%)')", "string.find('f(a(b)c)d', '%b()')",
				"string.find('  trim  ', '^%s*(.-)%s*$')", "string.find('hello', '^h')", "string.find('hello', '^e')",
				"string.find('hello', 'o$')", "string.find('a$b', '$b')", "string.find('abcabc', '(abc)%1')",
				"string.find('x123y', '%d+', -4)",
				// match: classes, complements, sets, quantifiers
				"string.match('hello 123 world', '%d+')", "string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')",
				"string.match('  x  ', '^%s*(.-)%s*$')", "string.match('abc', '((a)(b))')",
				"string.match('hello', '(h)(e)(l)(l)(o)')", "string.match('aaa', 'a-')", "string.match('aaa', 'a-$')",
				"string.match('aaab', 'a*b')", "string.match('b', 'a?b')", "string.match('ab', 'a?b')",
				"string.match('x = [[long]]', '%[%[(.-)%]%]')", "string.match('a]b', '[]]')",
				"string.match('a]b', '[%]]')", "string.match('a-b', '[a%-]+')",
				"string.match('hello World', '[A-Z]%l+')", "string.match('abc123', '[^%d]+')",
				"string.match('0x1F', '0x(%x+)')", "string.match('tab\\there', '%c')", "string.match('a,b;c', '%p')",
				"string.match('CamelCase', '%u%l+', 2)", "string.match('hello', '.-(l+)(.*)')",
				"string.match('[[x]]', '%[(%b[])%]')", "string.match('a1b2c3', '%a%d', -2)",
				"string.gsub('THE (quick) fox', '%a+', function(w) return #w end)", "string.match('abc', '%w%W')",
				"string.match('hello', '()', 3)", "string.match('say \"hi\" and \"bye\"', '\"(.-)\"')",
				"string.match('xyzzy', '(z+)%1')", "string.match('ident_1 = 2', '[%a_][%w_]*')",
				"string.match('SPACES   here', '%S+%s+(%S+)')", "string.match('A1', '%D%d')",
				"string.match('a.b', '%.')", "string.match('hello', '[^aeiou]+$')", "string.match('x1y2', '[%d%u]')",
				"string.match('hello', 'l*o')", "string.match('aXb', 'a%Ub')", "string.match('aab', '^(a+)(.)$')",
				"pack(string.match('abc', '(a)()(c)?'))",
				// gmatch
				"gm('one two three', '%a+')", "gm('k=v, x=y', '(%w+)=(%w+)')", "gm('a1b22c333', '%a(%d+)')",
				"gm('hello', '()l')", "gm('(a)(b(c))', '%b()')",
				// gsub: string, table and function replacements, max n, anchors
				"string.gsub('hello world', 'o', '0')", "string.gsub('hello world', '(%w+)', '<%1>')",
				"string.gsub('hello world', '%w+', '%0 %0', 1)",
				"string.gsub('hello world from Lua', '(%w+)%s*(%w+)', '%2 %1')",
				"string.gsub('$name-$version', '%$(%w+)', {name = 'lua', version = '5.2'})",
				"string.gsub('abc', '%w', function(c) return string.upper(c) .. '.' end)",
				"string.gsub('abc', '', '-')", "string.gsub('hello', 'l', {l = false})",
				"string.gsub('hello', '(l)(l)', '%2%1')", "string.gsub('50%', '%%', '%%%%')",
				"string.gsub('abc', 'b', 42)", "string.gsub('x y z', '%s', '', 5)", "string.gsub('x y z', '%s', '', 1)",
				"string.gsub('hello', '^h', 'H')", "string.gsub('hello', '^l', 'L')", "string.gsub('aaa', 'a', 'b', 2)",
				"string.gsub('f(x) g(y)', '%b()', '[]')", "string.gsub('hello world', 'o', '%%')",
				"string.gsub('abc', '(b)', function() return nil end)", "string.gsub('hello', '()l', '%1')");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void sameResultsAsLuaJ(String expression) {
		String code = "return " + expression;
		List<String> expected = LuaHarness.describe(LuaHarness.run(original, code));
		List<String> actual = LuaHarness.describe(LuaHarness.run(bounded, code));
		assertThat(actual).isEqualTo(expected);
	}

}
