package org.arvados.events.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The {@link HeaderScanner} reads what it takes as Jackson does, and takes nothing Jackson refuses: on the server's
 * messages, on what it leaves to Jackson, and on random messages and their random damage (seeded; the seed is in
 * the failure's description, {@code -Dheader.seed=N} replays it, {@code -Dheader.inputs=N} runs longer).
 */
class HeaderScannerTests {

	private static final String EVENT = "{\"event_at\":\"2026-11-23T00:32:34.828334Z\",\"event_type\":\"update\","
			+ "\"id\":10000000,\"msgID\":10000000,\"object_kind\":\"arvados#collection\","
			+ "\"object_owner_uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\",\"object_uuid\":\"zzzzz-4zz18-0123456789abcde\","
			+ "\"properties\":{\"new_attributes\":{\"is_trashed\":false,\"name\":\"bar\",\"replication\":2,"
			+ "\"size\":-1.5e3,\"tags\":[],\"note\":\"caf\u00e9 \\\"quoted\\\" \\u00e9 \\n \ud83d\ude00\"},"
			+ "\"old_attributes\":null,\"text\":\"" + "x".repeat(40_000) + "\"},"
			+ "\"uuid\":\"zzzzz-57u5n-0123456789abcde\"}";

	private final EventDecoder decoder = new EventDecoder();

	@Test
	void readsTheServersMessagesAsJacksonDoes() {
		for (String message : List.of(EVENT, "{\"status\":200}", "{}", " {\n\t\"status\" : 404 ,\"x\":[1,{}]}\r\n",
				"{\"id\":5,\"properties\":[1],\"uuid\":null,\"id\":-0}", "{\"id\":null,\"status\":null}",
				"{\"id\":123456789012345678}", "{\"properties\":{\"a\":{\"b\":[[[]]]}},\"properties\":{}}",
				"{\"object_uuid\":\"\u00e9\ud83d\ude00\",\"e\":1E+2,\"f\":0.25e-1,\"g\":true}")) {
			assertThat(scanned(message)).as(message).isNotNull().isEqualTo(jackson(message));
		}
	}

	@Test
	void leavesToJacksonWhatItDoesNotRead() {
		for (String message : List.of("{\"uuid\":\"a\\\"b\"}", "{\"u\\u0069d\":\"x\"}", "{\"id\":1.0}",
				"{\"id\":1e3}", "{\"id\":\"7\"}", "{\"id\":1234567890123456789}", "{\"status\":\"200\"}",
				"{\"uuid\":5}", "{\"n\":" + "1".repeat(101) + "}", "{\"p\":" + "[".repeat(70) + "]".repeat(70) + "}",
				"\ufeff{}", "[]", "")) {
			assertThat(scanned(message)).as(message).isNull();
		}
	}

	@Test
	void takesNoMessageJacksonRefuses() {
		for (String message : List.of("{", "{}x", "{} {}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}",
				"{\"a\":1e}", "{\"a\":tru}", "{\"a\":nulll}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}",
				"{\"a\":\"\\u12g4\"}", "{\"a\":[1,]}", "{\"a\":{\"b\"}}", "{\"a\":{,}}", "{\"a\" 1}", "{\"a\":1,}",
				"{'a':1}", "{\"a\":\"unterminated}", "{\"properties\":{\"a\":1}")) {
			assertThat(scanned(message)).as(message).isNull();
			assertThat(catchThrowable(() -> jackson(message))).as(message)
				.isInstanceOf(MalformedMessageException.class);
		}
	}

	@Test
	void seesEverySpecialCharacterWhereverItFallsInALongString() {
		// Long strings are read several bytes at a time: each character that ends, escapes or spoils a string, at
		// every offset from the word boundaries, in a name and in a value, must stop that reading.
		List<String> specials = new ArrayList<>(List.of("\"", "\\", "\\n", "\\u00e9", "\\q", "\u007f", "\u00a2",
				"\u00dc", "\ud83d\ude00"));
		for (char c = 0; c < 0x20; c++) {
			specials.add(String.valueOf(c));
		}
		for (String special : specials) {
			for (int offset = 0; offset < 80; offset++) {
				String text = "x".repeat(offset) + special + "y".repeat(80 - offset);
				for (String message : List.of("{\"uuid\":\"u\",\"properties\":{\"text\":\"" + text + "\"}}",
						"{\"properties\":{\"" + text + "\":1}}")) {
					Object[] scanned = scanned(message);
					Object[] expected;
					try {
						expected = jackson(message);
					}
					catch (MalformedMessageException ex) {
						assertThat(scanned).as(message).isNull();
						continue;
					}
					if (scanned != null || !special.contains("\\")) {
						assertThat(scanned).as(message).isEqualTo(expected);
					}
				}
			}
		}
	}

	@Test
	void agreesWithJacksonOnRandomMessagesAndTheirDamage() {
		long seed = Long.getLong("header.seed", new Random().nextLong());
		Random random = new Random(seed);
		int taken = 0;
		int inputs = Integer.getInteger("header.inputs", 100_000);
		for (int i = 0; i < inputs; i++) {
			String message = message(random);
			if (random.nextInt(3) > 0) {
				message = damage(message, random);
			}
			Object[] scanned = scanned(message);
			if (scanned != null) {
				taken++;
				Object[] expected;
				try {
					expected = jackson(message);
				}
				catch (MalformedMessageException ex) {
					throw new AssertionError("seed " + seed + ": the scanner took what Jackson refuses: " + message, ex);
				}
				assertThat(scanned).as("seed %d: %s", seed, message).isEqualTo(expected);
			}
		}
		// It must take the common messages, or this would test nothing.
		assertThat(taken).as("seed %d: messages the scanner read", seed).isGreaterThan(inputs / 10);
	}

	private static Object @org.jspecify.annotations.Nullable [] scanned(String message) {
		EventHeader header = HeaderScanner.read(message.getBytes(StandardCharsets.UTF_8));
		return (header != null) ? fields(header) : null;
	}

	private Object[] jackson(String message) {
		return fields(this.decoder.readHeader(message, message.getBytes(StandardCharsets.UTF_8)));
	}

	private static Object[] fields(EventHeader header) {
		return new Object[] { header.fields, header.id, header.status, header.uuid, header.objectUuid,
				header.objectOwnerUuid, header.objectKind, header.eventType, header.eventAt, header.propertiesStart,
				header.propertiesEnd };
	}

	private static final List<String> NAMES = List.of("id", "status", "uuid", "object_uuid", "object_owner_uuid",
			"object_kind", "event_type", "event_at", "properties", "msgID", "i", "uuids", "propertie", "text");

	private static String message(Random random) {
		StringBuilder json = new StringBuilder();
		space(json, random).append('{');
		int fields = random.nextInt(12);
		for (int i = 0; i < fields; i++) {
			if (i > 0) {
				space(json, random).append(',');
			}
			String name = NAMES.get(random.nextInt(NAMES.size()));
			space(json, random).append('"').append(name).append('"');
			space(json, random).append(':');
			space(json, random);
			switch (name) {
				case "id", "status", "msgID" -> json.append(random.nextInt(4) > 0
						? Long.toString(random.nextInt(3) > 0 ? random.nextInt(1_000_000) : random.nextLong())
						: value(random, 0));
				case "properties" -> json.append(random.nextInt(5) > 0 ? object(random, 0) : value(random, 0));
				default -> json.append(random.nextInt(4) > 0 ? plainText(random) : value(random, 0));
			}
		}
		space(json, random).append('}');
		return space(json, random).toString();
	}

	private static String value(Random random, int depth) {
		int kind = random.nextInt(depth > 6 ? 6 : 8);
		return switch (kind) {
			case 0 -> "null";
			case 1 -> random.nextBoolean() ? "true" : "false";
			case 2 -> number(random);
			case 3, 4, 5 -> text(random);
			case 6 -> object(random, depth + 1);
			default -> array(random, depth + 1);
		};
	}

	private static String object(Random random, int depth) {
		StringBuilder json = new StringBuilder("{");
		int size = random.nextInt(5);
		for (int i = 0; i < size; i++) {
			json.append((i > 0) ? "," : "").append(random.nextInt(4) > 0 ? plainText(random) : text(random));
			space(json, random).append(':').append(value(random, depth));
		}
		return json.append('}').toString();
	}

	private static String array(Random random, int depth) {
		StringBuilder json = new StringBuilder("[");
		int size = random.nextInt(5);
		for (int i = 0; i < size; i++) {
			space(json.append((i > 0) ? "," : ""), random).append(value(random, depth));
		}
		return json.append(']').toString();
	}

	private static String number(Random random) {
		StringBuilder number = new StringBuilder(random.nextBoolean() ? "-" : "");
		number.append(random.nextInt(4) == 0 ? "0" : Integer.toString(1 + random.nextInt(99_999)));
		if (random.nextBoolean()) {
			number.append('.').append(random.nextInt(1000));
		}
		if (random.nextInt(3) == 0) {
			number.append(random.nextBoolean() ? 'e' : 'E')
				.append(new String[] { "", "+", "-" }[random.nextInt(3)])
				.append(random.nextInt(30));
		}
		return number.toString();
	}

	private static final String[] PIECES = { "a", "Z", "0", " ", "\u00e9", "\ud83d\ude00", "\u4e2d", "\\\"", "\\\\",
			"\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\uD83D\\uDE00", "#", "{", "]", ":", "," };

	private static String text(Random random) {
		StringBuilder text = new StringBuilder("\"");
		int size = random.nextInt(8) == 0 ? 20 + random.nextInt(200) : random.nextInt(12);
		for (int i = 0; i < size; i++) {
			text.append(PIECES[random.nextInt(PIECES.length)]);
		}
		return text.append('"').toString();
	}

	private static String plainText(Random random) {
		StringBuilder text = new StringBuilder("\"");
		int size = random.nextInt(40);
		for (int i = 0; i < size; i++) {
			text.append(PIECES[random.nextInt(7)]);
		}
		return text.append('"').toString();
	}

	private static StringBuilder space(StringBuilder json, Random random) {
		if (random.nextInt(6) == 0) {
			json.append(new String[] { " ", "\n", "\t", "\r", "  " }[random.nextInt(5)]);
		}
		return json;
	}

	private static final String[] DAMAGE = { "{", "}", "[", "]", "\"", ",", ":", "\\", "0", "1", "-", "+", ".", "e",
			"E", "a", "t", "n", " ", "\n", "\u0001", "\u0000", "\u007f", "\u00e9", "\ud83d", "u", "/", "\ufeff" };

	// One to three changes of one character each: replaced, removed, inserted; or the text cut short.
	private static String damage(String message, Random random) {
		List<String> characters = new ArrayList<>(Arrays.asList(message.split("")));
		int changes = 1 + random.nextInt(3);
		for (int i = 0; i < changes && !characters.isEmpty(); i++) {
			int at = random.nextInt(characters.size());
			switch (random.nextInt(4)) {
				case 0 -> characters.set(at, DAMAGE[random.nextInt(DAMAGE.length)]);
				case 1 -> characters.remove(at);
				case 2 -> characters.add(at, DAMAGE[random.nextInt(DAMAGE.length)]);
				default -> characters.subList(at, characters.size()).clear();
			}
		}
		return String.join("", characters);
	}

}
