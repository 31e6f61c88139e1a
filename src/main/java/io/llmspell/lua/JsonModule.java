package io.llmspell.lua;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import static io.llmspell.lua.LuaKeys.key;

/**
 * The {@code json} module, streamed with Jackson straight between Lua values and JSON
 * bytes, with no Java tree in between, and bounded like the rest of the run:
 * {@code encode} stops (limit {@code max-string-size}) as soon as its output passes the
 * largest string the run may build, so a table shared many times is never walked
 * exponentially; {@code decode} charges the tables it builds to the run's memory as it
 * goes. Both check the run's deadline every few thousand values. Values JSON cannot hold
 * (functions, coroutines, cycles, nesting over 100 levels) give {@code nil, err}.
 */
final class JsonModule {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_DEPTH = 100;

	private JsonModule() {
	}

	static LuaTable table(RunGuard guard) {
		LuaTable json = new LuaTable(0, 3);
		json.set(key("null"), LuaValues.NULL);
		json.set(key("encode"), LuaFunctions.named("encode", (args) -> {
			try {
				return encode(args.arg1(), guard);
			}
			catch (LuaError | JacksonException ex) {
				guard.checkTime();
				return LuaFunctions.failure(message(ex));
			}
		}));
		json.set(key("decode"), LuaFunctions.named("decode", (args) -> {
			LuaString text = args.checkstring(1);
			try {
				return decode(text, guard);
			}
			catch (LuaError | JacksonException ex) {
				guard.checkTime();
				return LuaFunctions.failure(message(ex));
			}
		}));
		return json;
	}

	private static LuaValue encode(LuaValue value, RunGuard guard) {
		BoundedOutput out = new BoundedOutput(guard);
		try (JsonGenerator generator = JSON.createGenerator(out)) {
			new Encoder(generator, guard).write(value, 0);
		}
		byte[] bytes = out.toByteArray();
		guard.allocated(bytes.length);
		return LuaString.valueUsing(bytes);
	}

	private static Varargs decode(LuaString text, RunGuard guard) {
		Decoder decoder = new Decoder(guard);
		try (JsonParser parser = JSON.createParser(text.m_bytes, text.m_offset, text.m_length)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw new LuaError("invalid JSON: no content");
			}
			LuaValue value = decoder.read(parser, first, 0);
			if (parser.nextToken() != null) {
				throw new LuaError("invalid JSON: trailing content after the value");
			}
			return value;
		}
		finally {
			decoder.done();
		}
	}

	private static String message(RuntimeException ex) {
		if (ex instanceof JacksonException jackson) {
			return "invalid JSON: " + jackson.getOriginalMessage();
		}
		return ex.getMessage();
	}

	/** Lua values to JSON, keys of objects sorted, as {@link LuaValues#toJava} does. */
	private static final class Encoder {

		private final JsonGenerator out;

		private final RunGuard guard;

		private final IdentityHashMap<LuaValue, Boolean> open = new IdentityHashMap<>();

		private long values;

		Encoder(JsonGenerator out, RunGuard guard) {
			this.out = out;
			this.guard = guard;
		}

		void write(LuaValue value, int depth) {
			if ((++values & 0xfff) == 0) {
				guard.checkTime();
			}
			if (value == LuaValues.NULL || value.isnil()) {
				out.writeNull();
				return;
			}
			switch (value.type()) {
				case LuaValue.TBOOLEAN -> out.writeBoolean(value.toboolean());
				case LuaValue.TNUMBER -> number(value);
				case LuaValue.TSTRING -> out.writeString(value.tojstring());
				case LuaValue.TTABLE -> table((LuaTable) value, depth);
				default -> throw new LuaError("cannot encode a " + value.typename() + " as JSON");
			}
		}

		private void number(LuaValue value) {
			double number = value.todouble();
			if (Double.isNaN(number) || Double.isInfinite(number)) {
				out.writeString(value.tojstring());
			}
			else if (number == Math.rint(number) && Math.abs(number) < 1e15) {
				out.writeNumber((long) number);
			}
			else {
				out.writeNumber(number);
			}
		}

		private void table(LuaTable table, int depth) {
			if (depth >= MAX_DEPTH) {
				throw new LuaError("table nested more than " + MAX_DEPTH + " levels deep");
			}
			if (open.put(table, Boolean.TRUE) != null) {
				throw new LuaError("table contains a reference to itself");
			}
			int length = table.rawlen();
			int keys = table.keyCount();
			if (keys > 0 && keys == length) {
				out.writeStartArray();
				for (int i = 1; i <= length; i++) {
					write(table.rawget(i), depth + 1);
				}
				out.writeEndArray();
			}
			else {
				List<Map.Entry<String, LuaValue>> fields = new ArrayList<>(keys);
				LuaValue key = LuaValue.NIL;
				while (true) {
					Varargs next = table.next(key);
					key = next.arg1();
					if (key.isnil()) {
						break;
					}
					if (!key.isstring()) {
						throw new LuaError("cannot convert a table with " + key.typename() + " keys");
					}
					fields.add(Map.entry(key.tojstring(), next.arg(2)));
				}
				fields.sort(Map.Entry.comparingByKey());
				out.writeStartObject();
				for (Map.Entry<String, LuaValue> field : fields) {
					out.writeName(field.getKey());
					write(field.getValue(), depth + 1);
				}
				out.writeEndObject();
			}
			open.remove(table);
		}

	}

	/** JSON to Lua values, charging what it builds to the run's memory as it goes. */
	private static final class Decoder {

		private static final long CHARGE_EVERY = 64 * 1024;

		private final RunGuard guard;

		private long uncharged;

		private long charged;

		Decoder(RunGuard guard) {
			this.guard = guard;
		}

		LuaValue read(JsonParser in, JsonToken token, int depth) {
			switch (token) {
				case START_OBJECT -> {
					LuaTable table = table(depth);
					for (JsonToken next = in.nextToken(); next != JsonToken.END_OBJECT; next = in.nextToken()) {
						String name = in.currentName();
						LuaValue value = read(in, in.nextToken(), depth + 1);
						table.rawset(LuaValue.valueOf(name), value);
						cost(HeldMemory.TABLE_ENTRY + HeldMemory.STRING + name.length());
					}
					return table;
				}
				case START_ARRAY -> {
					LuaTable table = table(depth);
					int i = 0;
					for (JsonToken next = in.nextToken(); next != JsonToken.END_ARRAY; next = in.nextToken()) {
						table.rawset(++i, read(in, next, depth + 1));
						cost(HeldMemory.ARRAY_ENTRY);
					}
					return table;
				}
				case VALUE_STRING -> {
					String text = in.getString();
					cost(HeldMemory.STRING + text.length());
					return LuaValue.valueOf(text);
				}
				case VALUE_NUMBER_INT -> {
					cost(HeldMemory.NUMBER);
					if (in.getNumberType() == JsonParser.NumberType.INT) {
						return LuaValue.valueOf(in.getIntValue());
					}
					return LuaValue.valueOf(in.getDoubleValue());
				}
				case VALUE_NUMBER_FLOAT -> {
					cost(HeldMemory.NUMBER);
					return LuaValue.valueOf(in.getDoubleValue());
				}
				case VALUE_TRUE -> {
					return LuaValue.TRUE;
				}
				case VALUE_FALSE -> {
					return LuaValue.FALSE;
				}
				case VALUE_NULL -> {
					return LuaValues.NULL;
				}
				default -> throw new LuaError("invalid JSON: unexpected " + token);
			}
		}

		private LuaTable table(int depth) {
			if (depth >= MAX_DEPTH) {
				throw new LuaError("invalid JSON: nested more than " + MAX_DEPTH + " levels deep");
			}
			cost(HeldMemory.TABLE);
			return new LuaTable();
		}

		private void cost(long bytes) {
			uncharged += bytes;
			if (uncharged >= CHARGE_EVERY) {
				charged += uncharged;
				guard.hold(uncharged);
				uncharged = 0;
			}
		}

		/** The value is Lua's now (or garbage): the run's next walk counts it. */
		void done() {
			guard.release(charged);
		}

	}

	/**
	 * Collects the encoded bytes; past the largest string the run may build, it stops the
	 * run (limit {@code max-string-size}).
	 */
	private static final class BoundedOutput extends ByteArrayOutputStream {

		private final RunGuard guard;

		BoundedOutput(RunGuard guard) {
			super(256);
			this.guard = guard;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			check(length);
			super.write(bytes, offset, length);
		}

		@Override
		public void write(int b) {
			check(1);
			super.write(b);
		}

		private void check(int more) {
			long size = (long) count + more;
			if (size > guard.maxStringSize()) {
				throw guard.stringTooLarge("json.encode", size);
			}
			guard.checkTime();
		}

	}

}
