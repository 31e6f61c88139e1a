package io.llmspell.web;

import java.util.Arrays;
import java.util.Map;

/**
 * The JVM's threads that belong to spell runs: LuaJ coroutine threads, and run threads
 * that are executing Lua (idle pooled run threads do not count: they hold nothing of a
 * run).
 */
public final class LuaThreads {

	private LuaThreads() {
	}

	public static long live() {
		return Thread.getAllStackTraces().entrySet().stream().filter(LuaThreads::isLua).count();
	}

	private static boolean isLua(Map.Entry<Thread, StackTraceElement[]> thread) {
		return thread.getKey().isAlive() && (thread.getKey().getName().startsWith("Coroutine-")
				|| Arrays.stream(thread.getValue()).anyMatch((frame) -> frame.getClassName().startsWith("org.luaj.")));
	}

}
