package io.llmspell.lua.strings;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * One match of a Lua pattern against a subject: the backtracking matcher of Lua 5.2's
 * {@code lstrlib.c}, with two additions that make it safe for untrusted patterns.
 *
 * <ul>
 * <li>It counts its steps and calls {@link StringBudget#checkpoint()} every
 * {@value #CHECKPOINT_INTERVAL} of them, so the run's deadline can stop a pattern that
 * backtracks for ages. Whatever the checkpoint throws is left to propagate.</li>
 * <li>Recursion is bounded by {@value #MAX_DEPTH} nested calls ("pattern too complex"),
 * as in Lua 5.2. Repetitions of a single character class loop instead of recursing, so
 * the Java stack depth depends on the pattern, never on the length of the subject.</li>
 * </ul>
 *
 * Subject positions are 0-based offsets into the subject; pattern positions are absolute
 * indices into the pattern's backing array. Not thread-safe; one instance per call.
 */
final class MatchState {

	static final int MAX_CAPTURES = 32;

	private static final int MAX_DEPTH = 200;

	private static final int CHECKPOINT_INTERVAL = 4096;

	private static final int CAP_UNFINISHED = -1;

	private static final int CAP_POSITION = -2;

	private static final int L_ESC = '%';

	private final LuaString subject;

	private final byte[] s;

	private final int sBase;

	private final int sLen;

	private final byte[] p;

	private final int pStart;

	private final int pEnd;

	private final StringBudget budget;

	private int fuel = CHECKPOINT_INTERVAL;

	private int depth;

	private int level;

	private final int[] captureInit = new int[MAX_CAPTURES];

	private final int[] captureLen = new int[MAX_CAPTURES];

	/**
	 * @param skip number of leading pattern bytes to ignore (1 to skip an anchor '^')
	 */
	MatchState(LuaString subject, LuaString pattern, int skip, StringBudget budget) {
		this.subject = subject;
		this.s = subject.m_bytes;
		this.sBase = subject.m_offset;
		this.sLen = subject.m_length;
		this.p = pattern.m_bytes;
		this.pStart = pattern.m_offset + skip;
		this.pEnd = pattern.m_offset + pattern.m_length;
		this.budget = budget;
	}

	/**
	 * Tries the whole pattern at subject offset {@code start}; returns the end offset of
	 * the match or -1.
	 */
	int matchAt(int start) {
		level = 0;
		depth = MAX_DEPTH;
		return match(start, pStart);
	}

	int subjectLength() {
		return sLen;
	}

	/** Counts one step of work; every few thousand steps the budget may stop the run. */
	void tick() {
		if (--fuel <= 0) {
			refuel();
		}
	}

	/**
	 * Counts {@code steps} steps at once (e.g. the bytes compared by a back-reference).
	 */
	void tick(int steps) {
		fuel -= steps;
		if (fuel <= 0) {
			refuel();
		}
	}

	private void refuel() {
		fuel = CHECKPOINT_INTERVAL;
		budget.checkpoint();
	}

	// ---- results ----

	/**
	 * The captures of the last match, or the whole match when the pattern has none and
	 * {@code wholeIfNone}.
	 */
	Varargs captures(boolean wholeIfNone, int start, int end) {
		int n = (level == 0 && wholeIfNone) ? 1 : level;
		switch (n) {
			case 0:
				return LuaValue.NONE;
			case 1:
				return capture(0, start, end);
			default:
				LuaValue[] values = new LuaValue[n];
				for (int i = 0; i < n; i++) {
					values[i] = capture(i, start, end);
				}
				return LuaValue.varargsOf(values);
		}
	}

	/**
	 * Capture {@code i} (0-based) of the last match; capture 0 of a capture-less pattern
	 * is the whole match.
	 */
	LuaValue capture(int i, int start, int end) {
		if (i >= level) {
			if (i != 0) {
				throw new LuaError("invalid capture index");
			}
			return subject.substring(start, end);
		}
		int len = captureLen[i];
		if (len == CAP_UNFINISHED) {
			throw new LuaError("unfinished capture");
		}
		if (len == CAP_POSITION) {
			return LuaValue.valueOf(captureInit[i] + 1);
		}
		return subject.substring(captureInit[i], captureInit[i] + len);
	}

	// ---- the matcher ----

	private int sc(int i) {
		return s[sBase + i] & 0xff;
	}

	/**
	 * Pattern byte at {@code i}, or 0 past the end (C reads the terminating NUL there).
	 */
	private int pc(int i) {
		return i < pEnd ? p[i] & 0xff : 0;
	}

	private int match(int si, int pi) {
		if (depth-- == 0) {
			throw new LuaError("pattern too complex");
		}
		loop: while (pi != pEnd) {
			tick();
			switch (p[pi]) {
				case '(':
					si = (pc(pi + 1) == ')') ? startCapture(si, pi + 2, CAP_POSITION)
							: startCapture(si, pi + 1, CAP_UNFINISHED);
					break loop;
				case ')':
					si = endCapture(si, pi + 1);
					break loop;
				case '$':
					if (pi + 1 == pEnd) { // '$' ends the pattern: anchor at the subject's
											// end
						si = (si == sLen) ? si : -1;
						break loop;
					}
					break; // otherwise a literal '$'
				case L_ESC:
					switch (pc(pi + 1)) {
						case 'b':
							si = matchBalance(si, pi + 2);
							if (si == -1) {
								break loop;
							}
							pi += 4;
							continue loop;
						case 'f': {
							pi += 2;
							if (pc(pi) != '[') {
								throw new LuaError("missing '[' after '%f' in pattern");
							}
							int ep = classEnd(pi);
							int previous = (si == 0) ? 0 : sc(si - 1);
							int current = (si < sLen) ? sc(si) : 0;
							if (matchBracketClass(previous, pi, ep - 1) || !matchBracketClass(current, pi, ep - 1)) {
								si = -1;
								break loop;
							}
							pi = ep;
							continue loop;
						}
						case '0':
						case '1':
						case '2':
						case '3':
						case '4':
						case '5':
						case '6':
						case '7':
						case '8':
						case '9':
							si = matchBackReference(si, pc(pi + 1));
							if (si == -1) {
								break loop;
							}
							pi += 2;
							continue loop;
						default:
							break; // an escaped class such as %a, handled below
					}
					break;
				default:
					break;
			}
			// A single-character class, optionally followed by a quantifier.
			int ep = classEnd(pi);
			int suffix = pc(ep);
			if (!singleMatch(si, pi, ep)) {
				if (suffix == '*' || suffix == '?' || suffix == '-') { // may match empty
					pi = ep + 1;
					continue;
				}
				si = -1;
				break;
			}
			switch (suffix) {
				case '?': {
					int res = match(si + 1, ep + 1);
					if (res != -1) {
						si = res;
						break loop;
					}
					pi = ep + 1;
					continue loop;
				}
				case '+':
					si = maxExpand(si + 1, pi, ep);
					break loop;
				case '*':
					si = maxExpand(si, pi, ep);
					break loop;
				case '-':
					si = minExpand(si, pi, ep);
					break loop;
				default:
					si++;
					pi = ep;
					continue loop;
			}
		}
		depth++;
		return si;
	}

	/**
	 * Greedy repetition: counts matching characters in a loop, then backs off one at a
	 * time.
	 */
	private int maxExpand(int si, int pi, int ep) {
		int i = 0;
		while (singleMatch(si + i, pi, ep)) {
			i++;
			tick();
		}
		for (; i >= 0; i--) {
			int res = match(si + i, ep + 1);
			if (res != -1) {
				return res;
			}
		}
		return -1;
	}

	/**
	 * Lazy repetition: tries the rest of the pattern first, then one more character, in a
	 * loop.
	 */
	private int minExpand(int si, int pi, int ep) {
		while (true) {
			int res = match(si, ep + 1);
			if (res != -1) {
				return res;
			}
			if (!singleMatch(si, pi, ep)) {
				return -1;
			}
			si++;
		}
	}

	private int startCapture(int si, int pi, int what) {
		if (level >= MAX_CAPTURES) {
			throw new LuaError("too many captures");
		}
		captureInit[level] = si;
		captureLen[level] = what;
		level++;
		int res = match(si, pi);
		if (res == -1) {
			level--;
		}
		return res;
	}

	private int endCapture(int si, int pi) {
		int l = captureToClose();
		captureLen[l] = si - captureInit[l];
		int res = match(si, pi);
		if (res == -1) {
			captureLen[l] = CAP_UNFINISHED;
		}
		return res;
	}

	private int captureToClose() {
		for (int l = level - 1; l >= 0; l--) {
			if (captureLen[l] == CAP_UNFINISHED) {
				return l;
			}
		}
		throw new LuaError("invalid pattern capture");
	}

	/** {@code %1}-{@code %9}: the text of an earlier, closed capture. */
	private int matchBackReference(int si, int digit) {
		int l = digit - '1';
		if (l < 0 || l >= level || captureLen[l] == CAP_UNFINISHED) {
			throw new LuaError("invalid capture index %" + (l + 1));
		}
		int len = captureLen[l];
		if (len < 0 || sLen - si < len) { // a position capture never matches (as in C)
			return -1;
		}
		tick(len);
		int a = sBase + captureInit[l];
		int b = sBase + si;
		for (int k = 0; k < len; k++) {
			if (s[a + k] != s[b + k]) {
				return -1;
			}
		}
		return si + len;
	}

	/** {@code %bxy}: a balanced run from x to its matching y. */
	private int matchBalance(int si, int pi) {
		if (pi >= pEnd - 1) {
			throw new LuaError("malformed pattern (missing arguments to '%b')");
		}
		if (si >= sLen || sc(si) != pc(pi)) {
			return -1;
		}
		int open = pc(pi);
		int close = pc(pi + 1);
		int depthCount = 1;
		while (++si < sLen) {
			tick();
			int c = sc(si);
			if (c == close) {
				if (--depthCount == 0) {
					return si + 1;
				}
			}
			else if (c == open) {
				depthCount++;
			}
		}
		return -1;
	}

	/** Index just past the single-character class starting at {@code pi}. */
	private int classEnd(int pi) {
		int c = p[pi++];
		if (c == L_ESC) {
			if (pi >= pEnd) {
				throw new LuaError("malformed pattern (ends with '%')");
			}
			return pi + 1;
		}
		if (c == '[') {
			if (pc(pi) == '^') {
				pi++;
			}
			do { // the first character is always part of the set, so "[]]" is a set of
					// ']'
				if (pi >= pEnd) {
					throw new LuaError("malformed pattern (missing ']')");
				}
				if (p[pi++] == L_ESC && pi < pEnd) {
					pi++; // skip escapes such as %]
				}
			}
			while (pc(pi) != ']');
			return pi + 1;
		}
		return pi;
	}

	private boolean singleMatch(int si, int pi, int ep) {
		if (si >= sLen) {
			return false;
		}
		int c = sc(si);
		switch (p[pi]) {
			case '.':
				return true;
			case L_ESC:
				return CharClass.matches(c, p[pi + 1] & 0xff);
			case '[':
				return matchBracketClass(c, pi, ep - 1);
			default:
				return (p[pi] & 0xff) == c;
		}
	}

	/**
	 * Whether {@code c} is in the set {@code [...]} that starts at {@code pi} and whose
	 * ']' is at {@code ec}.
	 */
	private boolean matchBracketClass(int c, int pi, int ec) {
		boolean found = true;
		if (pc(pi + 1) == '^') {
			found = false;
			pi++;
		}
		while (++pi < ec) {
			int pcur = p[pi] & 0xff;
			if (pcur == L_ESC) {
				pi++;
				if (CharClass.matches(c, p[pi] & 0xff)) {
					return found;
				}
			}
			else if (pc(pi + 1) == '-' && pi + 2 < ec) {
				pi += 2;
				if (pcur <= c && c <= (p[pi] & 0xff)) {
					return found;
				}
			}
			else if (pcur == c) {
				return found;
			}
		}
		return !found;
	}

}
