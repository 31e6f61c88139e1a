package io.llmspell.lua.strings;

/**
 * The character classes of Lua patterns ({@code %a %c %d %g %l %p %s %u %w %x %z}) with
 * the meaning of the C library in the "C" locale, as the reference Lua uses them: plain
 * ASCII, every byte of 128 or more belongs to no class. (LuaJ uses Java's Unicode-aware
 * {@code Character} methods, which differ for Latin-1 bytes, some punctuation and
 * {@code \v}.)
 */
final class CharClass {

	private static final int ALPHA = 1;

	private static final int DIGIT = 1 << 1;

	private static final int LOWER = 1 << 2;

	private static final int UPPER = 1 << 3;

	private static final int PUNCT = 1 << 4;

	private static final int SPACE = 1 << 5;

	private static final int CNTRL = 1 << 6;

	private static final int XDIGIT = 1 << 7;

	private static final int GRAPH = 1 << 8;

	private static final int[] FLAGS = new int[256];

	static {
		for (int c = 0; c < 128; c++) {
			int f = 0;
			if (c >= 'a' && c <= 'z')
				f |= ALPHA | LOWER;
			if (c >= 'A' && c <= 'Z')
				f |= ALPHA | UPPER;
			if (c >= '0' && c <= '9')
				f |= DIGIT | XDIGIT;
			if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
				f |= XDIGIT;
			if (c < 32 || c == 127)
				f |= CNTRL;
			if (c == ' ' || (c >= '\t' && c <= '\r'))
				f |= SPACE;
			if (c > 32 && c < 127) {
				f |= GRAPH;
				if ((f & (ALPHA | DIGIT)) == 0)
					f |= PUNCT;
			}
			FLAGS[c] = f;
		}
	}

	private CharClass() {
	}

	/**
	 * Whether byte {@code c} (0-255) matches the class letter {@code cl} that followed a
	 * '%'.
	 */
	static boolean matches(int c, int cl) {
		int mask;
		switch (cl | 0x20) { // only ASCII letters map to letters here; upper case
								// complements
			case 'a':
				mask = ALPHA;
				break;
			case 'c':
				mask = CNTRL;
				break;
			case 'd':
				mask = DIGIT;
				break;
			case 'g':
				mask = GRAPH;
				break;
			case 'l':
				mask = LOWER;
				break;
			case 'p':
				mask = PUNCT;
				break;
			case 's':
				mask = SPACE;
				break;
			case 'u':
				mask = UPPER;
				break;
			case 'w':
				mask = ALPHA | DIGIT;
				break;
			case 'x':
				mask = XDIGIT;
				break;
			case 'z':
				return (c == 0) == (cl == 'z'); // deprecated in 5.2, still supported
			default:
				return cl == c; // '%' followed by a non-letter is that character itself
		}
		boolean in = (FLAGS[c] & mask) != 0;
		return (cl >= 'a') ? in : !in;
	}

	static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}

	static int toLower(int c) {
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	}

	static int toUpper(int c) {
		return (c >= 'a' && c <= 'z') ? c - 32 : c;
	}

}
