package io.llmspell.lua.strings;

import java.util.function.Supplier;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.StringLib;

/**
 * {@code string.format}: checks the arguments and an upper bound of the result size, then lets
 * LuaJ's own implementation do the formatting.
 *
 * <p>The bound is cheap and tight enough: LuaJ allows widths and precisions of at most two
 * digits, a number never takes more than a few hundred bytes, a {@code %s} takes its argument's
 * length and a {@code %q} is measured byte by byte.
 */
final class FormatFunction extends StringFunction {

    /** Padding of one conversion: LuaJ limits the width to two digits. */
    private static final int MAX_PADDING = 99;
    /** A formatted number: {@code %.99f} of 1e308 has about 410 characters. */
    private static final int MAX_NUMBER = 512;

    private static final LuaValue LUAJ_FORMAT = loadLuajFormat();

    FormatFunction(Supplier<StringBudget> budgets) {
        super("format", budgets);
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaString format = checkString(args, 1);
        LuaValue[] values = new LuaValue[args.narg()];
        for (int i = 0; i < values.length; i++) {
            values[i] = args.arg(i + 1);
        }
        long bound = format.length();
        int arg = 1;
        int n = format.length();
        for (int i = 0; i < n; ) {
            if (format.luaByte(i++) != '%' || i >= n) {
                continue;
            }
            if (format.luaByte(i) == '%') {
                i++;
                continue;
            }
            arg++;
            while (i < n && "-+ #0123456789.".indexOf(format.luaByte(i)) >= 0) {
                i++; // flags, width and precision: LuaJ validates them
            }
            int conversion = (i < n) ? format.luaByte(i++) : 0;
            bound += MAX_PADDING + argumentSize(args, values, arg, conversion);
        }
        StringBudget budget = budget();
        if (bound > limit(budget)) {
            throw tooLarge("up to " + bound, budget);
        }
        values[0] = format;
        LuaString result = LUAJ_FORMAT.invoke(varargsOf(values)).arg1().strvalue();
        if (result.length() >= REPORT_THRESHOLD) {
            budget.allocated(result.length());
        }
        return result;
    }

    /** Validates argument {@code arg} for {@code conversion} and returns an upper bound of its formatted size. */
    private long argumentSize(Varargs args, LuaValue[] values, int arg, int conversion) {
        switch (conversion) {
            case 'c':
            case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
            case 'e': case 'E': case 'f': case 'g': case 'G':
                if (args.arg(arg).tonumber().isnil()) {
                    throw typeError(args, arg, "number");
                }
                return MAX_NUMBER;
            case 'q':
                return quotedSize(checkString(args, arg));
            case 's': {
                LuaString s = toLuaString(args, arg);
                values[arg - 1] = s;
                return s.length();
            }
            default:
                return 0; // LuaJ reports the invalid option
        }
    }

    /** Lua 5.2's {@code luaL_tolstring}: {@code %s} accepts any value, honouring {@code __tostring}. */
    private LuaString toLuaString(Varargs args, int arg) {
        if (arg > args.narg()) {
            throw typeError(args, arg, "value");
        }
        LuaValue v = args.arg(arg);
        if (v.isstring()) {
            return v.strvalue();
        }
        LuaValue handler = v.metatag(TOSTRING);
        if (!handler.isnil()) {
            LuaValue s = handler.call(v);
            if (!s.isstring()) {
                throw new LuaError("'__tostring' must return a string");
            }
            return s.strvalue();
        }
        return valueOf(v.tojstring());
    }

    /** Upper bound of LuaJ's {@code %q} rendering: a control character takes up to four bytes. */
    private static long quotedSize(LuaString s) {
        long size = 2;
        for (int i = 0, n = s.length(); i < n; i++) {
            int c = s.luaByte(i);
            if (c == '"' || c == '\\' || c == '\n') {
                size += 2;
            } else if (c <= 0x1F || c == 0x7F) {
                size += 4;
            } else {
                size += 1;
            }
        }
        return size;
    }

    /** LuaJ's {@code format} function; its class is package-private, so take it from a throw-away library table. */
    private static LuaValue loadLuajFormat() {
        LuaTable env = new LuaTable();
        LuaTable pkg = new LuaTable();
        pkg.set("loaded", new LuaTable());
        env.set("package", pkg);
        LuaValue lib = new StringLib().call(valueOf("string"), env);
        // Loading StringLib installs its table as the string metatable when none is set; undo that.
        LuaValue mt = LuaString.s_metatable;
        if (mt != null && mt.rawget(INDEX) == lib) {
            LuaString.s_metatable = null;
        }
        return lib.get("format");
    }
}
