package org.arvados.events.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads the header of a WebSocket message straight from its UTF-8, for the messages the server sends: an object
 * whose header fields are plain strings (no escapes) and integers, checking the syntax of everything else on the
 * way past it. For anything else it answers {@code null} and the decoder reads the message with Jackson, which
 * then decides and says what is wrong: an escape in any name or in a header string, an id or a status that is not a
 * plain integer, nesting deeper than {@value #MAX_DEPTH}, a name or a number longer than Jackson's parser would
 * take without a second look, anything that is not JSON. So it takes no message Jackson would refuse, and reads
 * every one it takes as Jackson does (the decoder's fuzz and differential tests hold it to that).
 * <p>
 * Written by hand, not with Jackson's parser: to skip the {@code properties} Jackson tokenises them (each name
 * decoded and looked up in its symbol table, each number parsed), and in a profile over TLS decoding was half of
 * the CPU the starter spent per small event, most of it on the socket's reading thread, which sets the rate. This
 * only checks the grammar, thirty-two bytes at a time through long strings; with it a small event took 4.1–4.9 µs of
 * CPU against Node's 5.0–5.5, where it had taken 5.3–6.5 (benchmarks/README.md). The input is well-formed UTF-8 (a
 * Java string's, or bytes the decoder has seen decode to a string without U+FFFD): no check of its multi-byte
 * sequences.
 */
final class HeaderScanner {

	/** Deeper values are left to Jackson, whose limit (500) and error it then is. */
	static final int MAX_DEPTH = 64;

	// Well within Jackson's limits on names (50,000) and numbers (1,000 digits): longer ones go to Jackson.
	private static final int MAX_NAME = 1000;

	private static final int MAX_NUMBER = 100;

	private static final int FAIL = -1;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long HIGHS = 0x8080808080808080L;

	private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;

	private static final long QUOTES = 0x2222222222222222L;

	private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

	private static final long BELOW_SPACE = 0x6060606060606060L;

	private static final byte[] ID = ascii("id");

	private static final byte[] STATUS = ascii("status");

	private static final byte[] UUID = ascii("uuid");

	private static final byte[] OBJECT_UUID = ascii("object_uuid");

	private static final byte[] OBJECT_OWNER_UUID = ascii("object_owner_uuid");

	private static final byte[] OBJECT_KIND = ascii("object_kind");

	private static final byte[] EVENT_TYPE = ascii("event_type");

	private static final byte[] EVENT_AT = ascii("event_at");

	private static final byte[] PROPERTIES = ascii("properties");

	private static final byte[] TRUE = ascii("true");

	private static final byte[] FALSE = ascii("false");

	private static final byte[] NULL = ascii("null");

	private final byte[] bytes;

	private final int length;

	private final EventHeader header = new EventHeader();

	/** The last header string read by {@link #text(int)}. */
	private String text = "";

	/** The last integer read by {@link #integer(int, int)}. */
	private long integer;

	private HeaderScanner(byte[] bytes) {
		this.bytes = bytes;
		this.length = bytes.length;
	}

	/**
	 * The header of one message, or {@code null} to leave the message to Jackson.
	 * @param utf8 the message's UTF-8, well-formed (as {@link String#getBytes} makes it)
	 * @return its header, or {@code null}
	 */
	static @Nullable EventHeader read(byte[] utf8) {
		return new HeaderScanner(utf8).message();
	}

	private @Nullable EventHeader message() {
		int at = whitespace(0);
		int end = is(at, '{') ? object(at, 0) : FAIL;
		return (end != FAIL && whitespace(end) == this.length) ? this.header : null;
	}

	// The value at `at` of the name between nameStart and nameEnd (its closing quote); returns where the value ends.
	// As Jackson's reading does, the last of a repeated name wins.
	private int field(int nameStart, int nameEnd, int at) {
		EventHeader header = this.header;
		header.fields++;
		int end;
		switch (nameEnd - nameStart) {
			case 2 -> {
				if (named(nameStart, ID)) {
					return id(at);
				}
			}
			case 4 -> {
				if (named(nameStart, UUID)) {
					end = text(at);
					header.uuid = this.text;
					return end;
				}
			}
			case 6 -> {
				if (named(nameStart, STATUS)) {
					return status(at);
				}
			}
			case 8 -> {
				if (named(nameStart, EVENT_AT)) {
					end = text(at);
					header.eventAt = this.text;
					return end;
				}
			}
			case 10 -> {
				if (named(nameStart, EVENT_TYPE)) {
					end = text(at);
					header.eventType = this.text;
					return end;
				}
				if (named(nameStart, PROPERTIES)) {
					end = value(at, 0);
					boolean object = end != FAIL && this.bytes[at] == '{';
					header.propertiesStart = object ? at : 0;
					header.propertiesEnd = object ? end : 0;
					return end;
				}
			}
			case 11 -> {
				if (named(nameStart, OBJECT_UUID)) {
					end = text(at);
					header.objectUuid = this.text;
					return end;
				}
				if (named(nameStart, OBJECT_KIND)) {
					end = text(at);
					header.objectKind = this.text;
					return end;
				}
			}
			case 17 -> {
				if (named(nameStart, OBJECT_OWNER_UUID)) {
					end = text(at);
					header.objectOwnerUuid = this.text;
					return end;
				}
			}
			default -> {
			}
		}
		return value(at, 0);
	}

	// A header string without escapes into this.text, or null as ""; anything else is Jackson's.
	private int text(int at) {
		if (is(at, '"')) {
			int end = string(at + 1, false);
			if (end != FAIL) {
				this.text = new String(this.bytes, at + 1, end - at - 1, StandardCharsets.UTF_8);
				return end + 1;
			}
			return FAIL;
		}
		this.text = "";
		return literal(at, NULL);
	}

	private int id(int at) {
		if (!is(at, 'n')) {
			int end = integer(at, 18);
			this.header.id = (end != FAIL) ? this.integer : null;
			return end;
		}
		this.header.id = null;
		return literal(at, NULL);
	}

	private int status(int at) {
		if (!is(at, 'n')) {
			int end = integer(at, 9);
			this.header.status = (end != FAIL) ? (int) this.integer : null;
			return end;
		}
		this.header.status = null;
		return literal(at, NULL);
	}

	// A plain integer of at most `digits` digits into this.integer; a fraction or an exponent is Jackson's.
	private int integer(int at, int digits) {
		boolean negative = is(at, '-');
		int start = negative ? at + 1 : at;
		int end = start;
		long value = 0;
		while (end < this.length && this.bytes[end] >= '0' && this.bytes[end] <= '9') {
			value = value * 10 + (this.bytes[end] - '0');
			end++;
		}
		if (end == start || end - start > digits || (this.bytes[start] == '0' && end - start > 1)
				|| is(end, '.') || is(end, 'e') || is(end, 'E')) {
			return FAIL;
		}
		this.integer = negative ? -value : value;
		return end;
	}

	// Any JSON value, checked and skipped; returns where it ends.
	private int value(int at, int depth) {
		if (at >= this.length) {
			return FAIL;
		}
		return switch (this.bytes[at]) {
			case '"' -> {
				int end = string(at + 1, true);
				yield (end != FAIL) ? end + 1 : FAIL;
			}
			case '{' -> object(at, depth + 1);
			case '[' -> array(at, depth + 1);
			case 't' -> literal(at, TRUE);
			case 'f' -> literal(at, FALSE);
			case 'n' -> literal(at, NULL);
			default -> number(at);
		};
	}

	// An object from its '{'; returns where it ends. The members of the message's own (depth 0) are its header's
	// fields, any other's are checked.
	private int object(int at, int depth) {
		if (depth > MAX_DEPTH) {
			return FAIL;
		}
		at = whitespace(at + 1);
		if (is(at, '}')) {
			return at + 1;
		}
		while (is(at, '"')) {
			int nameStart = at + 1;
			// Jackson decodes names, and checks their escaped surrogates: a name with an escape is Jackson's.
			int nameEnd = string(nameStart, false);
			if (nameEnd == FAIL || nameEnd - nameStart > MAX_NAME) {
				return FAIL;
			}
			at = whitespace(nameEnd + 1);
			if (!is(at, ':')) {
				return FAIL;
			}
			at = whitespace(at + 1);
			at = (depth == 0) ? field(nameStart, nameEnd, at) : value(at, depth);
			if (at == FAIL) {
				return FAIL;
			}
			at = whitespace(at);
			if (is(at, '}')) {
				return at + 1;
			}
			if (!is(at, ',')) {
				return FAIL;
			}
			at = whitespace(at + 1);
		}
		return FAIL;
	}

	private int array(int at, int depth) {
		if (depth > MAX_DEPTH) {
			return FAIL;
		}
		at = whitespace(at + 1);
		if (is(at, ']')) {
			return at + 1;
		}
		while (true) {
			at = value(at, depth);
			if (at == FAIL) {
				return FAIL;
			}
			at = whitespace(at);
			if (is(at, ']')) {
				return at + 1;
			}
			if (!is(at, ',')) {
				return FAIL;
			}
			at = whitespace(at + 1);
		}
	}

	// JSON's number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
	private int number(int at) {
		int start = at;
		if (is(at, '-')) {
			at++;
		}
		if (is(at, '0')) {
			at++;
		}
		else {
			int end = digits(at);
			if (end == at || this.bytes[at] == '0') {
				return FAIL;
			}
			at = end;
		}
		if (is(at, '.')) {
			int end = digits(at + 1);
			if (end == at + 1) {
				return FAIL;
			}
			at = end;
		}
		if (is(at, 'e') || is(at, 'E')) {
			at++;
			if (is(at, '+') || is(at, '-')) {
				at++;
			}
			int end = digits(at);
			if (end == at) {
				return FAIL;
			}
			at = end;
		}
		return (at - start > MAX_NUMBER) ? FAIL : at;
	}

	private int digits(int at) {
		while (at < this.length && this.bytes[at] >= '0' && this.bytes[at] <= '9') {
			at++;
		}
		return at;
	}

	// The index of the string's closing quote, from its first character; a control character or a bad escape (or
	// any escape, unless allowed) fails. Eight bytes at a time while none of them is a quote, a backslash or a
	// control character (see ordinaryRun).
	private int string(int at, boolean escapes) {
		byte[] bytes = this.bytes;
		int length = this.length;
		while (true) {
			if (at <= length - Long.BYTES && (ordinary(word(bytes, at)) & HIGHS) == HIGHS) {
				at = ordinaryRun(bytes, at + Long.BYTES, length);
			}
			if (at >= length) {
				return FAIL;
			}
			int c = bytes[at] & 0xff;
			if (c == '"') {
				return at;
			}
			if (c == '\\') {
				if (!escapes) {
					return FAIL;
				}
				at = escape(at + 1);
				if (at == FAIL) {
					return FAIL;
				}
			}
			else if (c < 0x20) {
				return FAIL;
			}
			else {
				at++;
			}
		}
	}

	// Where the whole words of ordinary bytes from `at` end (at the word that holds another byte, or the last bytes
	// short of a word): a word at a time through the first four, where most strings end, then four a step. A large
	// event's properties are mostly long strings, and one word at a time this was a fifth of the CPU the starter
	// spent per 20 KiB event over TLS; in a loop the scanner read such an event in 3.9-4.0 µs where it had taken
	// 6.7, and a small one in the same 0.73-0.76 (no vector intrinsic on Java 17 tests bytes for a range). Out of
	// string(), which stays small enough to inline.
	private static int ordinaryRun(byte[] bytes, int at, int length) {
		int words = 0;
		while (at <= length - Long.BYTES && (ordinary(word(bytes, at)) & HIGHS) == HIGHS) {
			at += Long.BYTES;
			if (++words == 4) {
				while (at <= length - 4 * Long.BYTES && (ordinary(word(bytes, at)) & ordinary(word(bytes, at + 8))
						& ordinary(word(bytes, at + 16)) & ordinary(word(bytes, at + 24)) & HIGHS) == HIGHS) {
					at += 4 * Long.BYTES;
				}
				words = 0;
			}
		}
		return at;
	}

	private static long word(byte[] bytes, int at) {
		return (long) LONGS.get(bytes, at);
	}

	// The high bit of each of the eight bytes set when it is neither a quote, nor a backslash, nor below 0x20. Each
	// byte's low seven bits t: t + 0x60 reaches the high bit when t >= 0x20, (t ^ c) + 0x7F when t != c, and no sum
	// carries into the next byte; a byte at or above 0x80 (UTF-8 beyond ASCII) is ordinary by its own high bit.
	private static long ordinary(long v) {
		long t = v & LOWS;
		return ((t + BELOW_SPACE) & ((t ^ QUOTES) + LOWS) & ((t ^ BACKSLASHES) + LOWS)) | v;
	}

	// After a backslash: one of JSON's escapes; returns where it ends.
	private int escape(int at) {
		if (at >= this.length) {
			return FAIL;
		}
		return switch (this.bytes[at]) {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> at + 1;
			case 'u' -> (hex(at + 1) && hex(at + 2) && hex(at + 3) && hex(at + 4)) ? at + 5 : FAIL;
			default -> FAIL;
		};
	}

	private boolean hex(int at) {
		if (at >= this.length) {
			return false;
		}
		int c = this.bytes[at];
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private int literal(int at, byte[] literal) {
		return (at + literal.length <= this.length
				&& Arrays.equals(this.bytes, at, at + literal.length, literal, 0, literal.length)) ? at + literal.length
						: FAIL;
	}

	private int whitespace(int at) {
		while (at < this.length) {
			byte c = this.bytes[at];
			if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
				break;
			}
			at++;
		}
		return at;
	}

	private boolean is(int at, char c) {
		return at < this.length && this.bytes[at] == c;
	}

	private boolean named(int start, byte[] name) {
		return Arrays.equals(this.bytes, start, start + name.length, name, 0, name.length);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
