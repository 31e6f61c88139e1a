package io.llmspell.lua.strings;

import static io.llmspell.lua.strings.LuaHarness.describe;
import static io.llmspell.lua.strings.LuaHarness.errorOf;
import static io.llmspell.lua.strings.LuaHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.Globals;

/**
 * Where LuaJ departs from Lua 5.2 we follow Lua 5.2; these cases pin the expected values
 * and messages.
 */
class Lua52SemanticsTests {

	private Globals lua;

	@BeforeEach
	void setUp() {
		lua = LuaHarness.boundedGlobals();
	}

	private List<String> eval(String expression) {
		return describe(run(lua, "return " + expression));
	}

	@Test
	void frontierPattern() {
		assertThat(eval("string.find('THE (quick) fox', '%f[%a]%a+', 5)")).containsExactly("number:6", "number:10");
		assertThat(eval("string.match('THE END', '%f[%w]%w+$')")).containsExactly("string:END");
		assertThat(eval("string.gsub('THE (quick) fox', '%f[%a]%a+', function(w) return #w end)"))
			.containsExactly("string:3 (5) 3", "number:3");
		// At the end of the subject the "current" character is '\0', as in C.
		assertThat(eval("string.find('hello', '%f[%z]')")).containsExactly("number:6", "number:5");
		assertThat(eval("string.find('hello world', '%f[%W]')")).containsExactly("number:6", "number:5");
	}

	@Test
	void characterClassesAreThoseOfTheCLocale() {
		assertThat(eval("string.match('  ab c', '%g+')")).containsExactly("string:ab");
		assertThat(eval("string.match('x \\t', '%G+')")).containsExactly("string: \t");
		assertThat(eval("string.gsub('a[b]_c{d}~`^\\\\|', '%p', '')")).containsExactly("string:abcd", "number:10");
		assertThat(eval("string.find('a\\vb', '%s')")).containsExactly("number:2", "number:2");
		assertThat(eval("string.match('\\233\\200', '%a')")).containsExactly("nil:nil");
		assertThat(eval("string.match('\\233', '%A') == '\\233'")).containsExactly("boolean:true");
	}

	@Test
	void caseMappingIsBytewise() {
		assertThat(eval("string.upper('abc\\233xyz') == 'ABC\\233XYZ'")).containsExactly("boolean:true");
		assertThat(eval("string.lower('ABC\\200\\255Z') == 'abc\\200\\255z'")).containsExactly("boolean:true");
		assertThat(eval("#string.lower('\\195\\137')")).containsExactly("number:2");
	}

	@Test
	void gmatchStepsOverEmptyMatchesAndTreatsCaretLiterally() {
		run(lua, "function count(s, p) local n = 0 for _ in string.gmatch(s, p) do n = n + 1 end return n end");
		assertThat(eval("count('abc', 'x*')")).containsExactly("number:4");
		assertThat(eval("count('', '')")).containsExactly("number:1");
		assertThat(eval("(function() local t = {} for w in string.gmatch('^a^b', '^%a') do t[#t+1] = w end"
				+ " return table.concat(t, ',') end)()"))
			.containsExactly("string:^a,^b");
		assertThat(
				eval("(function() local t = {} for a, b in string.gmatch('ab', '()(.?)') do t[#t+1] = a .. '=' .. b end"
						+ " return table.concat(t, ',') end)()"))
			.containsExactly("string:1=a,2=b,3=");
	}

	@Test
	void initPastTheEndFindsNothing() {
		assertThat(eval("string.find('abc', '', 10)")).containsExactly("nil:nil");
		assertThat(eval("string.find('abc', '', 4)")).containsExactly("number:4", "number:3");
		assertThat(eval("string.match('abc', 'x*', 5)")).containsExactly("nil:nil");
		assertThat(eval("string.find('abc', 'c', 2^40)")).containsExactly("nil:nil");
		assertThat(eval("string.find('abc', 'a', -2^40)")).containsExactly("number:1", "number:1");
	}

	@Test
	void methodSyntaxAndSeparators() {
		assertThat(eval("('ab'):rep(3, ', ')")).containsExactly("string:ab, ab, ab");
		assertThat(eval("('ab'):rep(1, ', ')")).containsExactly("string:ab");
		assertThat(eval("('x'):rep(2.9)")).containsExactly("string:xx");
		assertThat(eval("('hello'):sub(-3)")).containsExactly("string:llo");
		assertThat(eval("('hello'):sub(2, -2)")).containsExactly("string:ell");
		assertThat(eval("('hello'):sub(-100, 100)")).containsExactly("string:hello");
		assertThat(eval("('hello'):sub(4, 2)")).containsExactly("string:");
		assertThat(eval("('hello'):byte(-1)")).containsExactly("number:111");
		assertThat(eval("('hello'):byte(2, 4)")).containsExactly("number:101", "number:108", "number:108");
		assertThat(eval("('hello'):byte(10)")).isEmpty();
		assertThat(eval("string.char(104, 105)")).containsExactly("string:hi");
		assertThat(eval("string.char()")).containsExactly("string:");
		assertThat(eval("('abc'):reverse()")).containsExactly("string:cba");
		assertThat(eval("('abc'):len()")).containsExactly("number:3");
		assertThat(eval(
				"string.format('%s|%s|%s', nil, true, setmetatable({}, {__tostring = function() return 'T' end}))"))
			.containsExactly("string:nil|true|T");
	}

	@Test
	void noDump() {
		assertThat(eval("string.dump")).containsExactly("nil:nil");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = {
			"string.find('a', '%')                   | malformed pattern (ends with '%')",
			"string.find('a', '[a')                  | malformed pattern (missing ']')",
			"string.find('a', '[a%')                 | malformed pattern (missing ']')",
			"string.find('a', '%f')                  | missing '[' after '%f' in pattern",
			"string.find('x', 'x%fa')                | missing '[' after '%f' in pattern",
			"string.find('aa', '(a%1)')              | invalid capture index %1",
			"string.match('a', 'a%2')                | invalid capture index %2",
			"string.gsub('abc', '(a)', '%2')         | invalid capture index",
			"string.gsub('abc', 'a', '%x')           | invalid use of '%' in replacement string",
			"string.gsub('abc', 'a', 'x%')           | invalid use of '%' in replacement string",
			"string.match('abc', '(a')               | unfinished capture",
			"string.match('abc', 'a)')               | invalid pattern capture",
			"string.find('a', '%b')                  | malformed pattern (missing arguments to '%b')",
			"string.match('a', ('()'):rep(33))       | too many captures",
			"string.gsub('abc', 'b', true)           | bad argument #3 to 'gsub' (string/function/table expected)",
			"string.gsub('abc', 'b', {b = {}})       | invalid replacement value (a table)",
			"string.rep()                            | bad argument #1 to 'rep' (string expected, got no value)",
			"('x'):rep('y')                          | bad argument #2 to 'rep' (number expected, got string)",
			"string.find(nil, 'x')                   | bad argument #1 to 'find' (string expected, got nil)",
			"string.char(256)                        | bad argument #1 to 'char' (value out of range)",
			"string.char(65, -1)                     | bad argument #2 to 'char' (value out of range)",
			"string.format('%d', 'x')                | bad argument #2 to 'format' (number expected, got string)",
			"string.format('%d %d', 1)               | bad argument #3 to 'format' (no value)",
			"string.format('%q', {})                 | bad argument #2 to 'format' (string expected, got table)",
			"string.format('%y', 1)                  | invalid option '%y' to 'format'", })
	void errorMessages(String code, String message) {
		assertThat(errorOf(lua, code)).contains(message);
	}

}
