package io.llmspell.lua;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.luaj.vm2.LuaError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The compiler of spell files and {@code load} always ends, with Lua's messages. */
class LuaCompilerTests {

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aSpellFileEndingInBackslashZIsASyntaxError() {
		assertThatExceptionOfType(LuaError.class)
			.isThrownBy(() -> LuaCompiler.compile(source("local s = 'alo \\z"), "main.lua"))
			.withMessage("main.lua:1: unfinished string near <eof>");
		assertThatExceptionOfType(LuaError.class)
			.isThrownBy(() -> LuaCompiler.compile(source("local a\nlocal s = 'alo \\z  \n\n"), "main.lua"))
			.withMessage("main.lua:4: unfinished string near <eof>");
	}

	@Test
	void tokensAreNamedAsLuaNamesThem() {
		assertThatExceptionOfType(LuaError.class).isThrownBy(() -> LuaCompiler.compile(source("x = "), "main.lua"))
			.withMessageEndingWith(":1: unexpected symbol near <eof>");
		assertThat(LuaCompiler.cleanMessage("m:1: unexpected symbol 42 (*)", "m"))
			.isEqualTo("m:1: unexpected symbol near '*'");
		assertThat(LuaCompiler.cleanMessage("m:1: unexpected symbol 262 (Ć)", "m"))
			.isEqualTo("m:1: unexpected symbol near 'end'");
	}

	@Test
	void chunkNamesAreShownAsLuaShowsThem() {
		assertThat(LuaCompiler.displayName("=stdin")).isEqualTo("stdin");
		assertThat(LuaCompiler.displayName("@lib/x.lua")).isEqualTo("lib/x.lua");
		assertThat(LuaCompiler.displayName("return 1")).isEqualTo("[string \"return 1\"]");
		assertThat(LuaCompiler.displayName("local a\nreturn a")).isEqualTo("[string \"local a...\"]");
		assertThat(LuaCompiler.displayName("x".repeat(100))).isEqualTo("[string \"" + "x".repeat(45) + "...\"]");
	}

	private static ByteArrayInputStream source(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

}
