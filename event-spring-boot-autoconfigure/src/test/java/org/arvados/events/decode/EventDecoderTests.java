package org.arvados.events.decode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventDecoderTests {

	private final EventDecoder decoder = new EventDecoder();

	@Test
	void decodesAWebSocketEventAsTheServerSendsIt() {
		String json = "{\"event_at\":\"2026-11-23T00:32:34.828334Z\",\"event_type\":\"update\",\"id\":1,\"msgID\":1,"
				+ "\"object_kind\":\"arvados#collection\",\"object_owner_uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\","
				+ "\"object_uuid\":\"zzzzz-4zz18-0123456789abcde\",\"properties\":{\"new_attributes\":"
				+ "{\"is_trashed\":false,\"name\":\"bar\"},\"old_attributes\":{\"is_trashed\":false,\"name\":\"foo\"}},"
				+ "\"uuid\":\"zzzzz-57u5n-20mckf9gi\"}";
		ArvadosEvent event = ((ServerMessage.Event) this.decoder.decode(json)).event();
		assertThat(event.id()).isEqualTo(1);
		assertThat(event.eventType()).isEqualTo("update");
		assertThat(event.objectKind()).isEqualTo("arvados#collection");
		assertThat(event.objectUuid()).isEqualTo("zzzzz-4zz18-0123456789abcde");
		assertThat(event.objectOwnerUuid()).isEqualTo("zzzzz-tpzed-xurymjxw79nv3jz");
		assertThat(event.uuid()).isEqualTo("zzzzz-57u5n-20mckf9gi");
		assertThat(event.eventAt()).isEqualTo(Instant.parse("2026-11-23T00:32:34.828334Z"));
		assertThat(event.newAttributes()).containsEntry("name", "bar");
		assertThat(event.oldAttributes()).containsEntry("name", "foo");
		assertThat(event.json()).isEqualTo(json);
	}

	@Test
	void readsTheBytesAMessageWasDecodedFromAsItsText() {
		String json = "{\"id\":3,\"object_uuid\":\"caf\u00e9 \ud83d\ude00\",\"properties\":{\"new_attributes\":"
				+ "{\"name\":\"\u00e9t\u00e9\",\"text\":\"" + "x".repeat(20_000) + "\"}}}";
		byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
		ArvadosEvent fromBytes = ((ServerMessage.Event) this.decoder.decode(json, utf8)).event();
		ArvadosEvent fromText = ((ServerMessage.Event) this.decoder.decode(json)).event();
		assertThat(fromBytes.objectUuid()).isEqualTo(fromText.objectUuid()).isEqualTo("caf\u00e9 \ud83d\ude00");
		assertThat(fromBytes.newAttributes()).isEqualTo(fromText.newAttributes())
			.containsEntry("name", "\u00e9t\u00e9");
		assertThat(fromBytes.json()).isEqualTo(json);
	}

	@Test
	void bytesThatAreNotUtf8AreNotReadButTheTextTheyBecame() {
		// A client decodes what is not UTF-8 to U+FFFD; the bytes themselves (here a lone 0xFF, and a quote hidden
		// in an overlong form) must not be read, or the scanner would read past its guarantees.
		byte[] utf8 = "{\"id\":4,\"object_uuid\":\"a?b\",\"properties\":{\"t\":\"?x\"}}"
			.getBytes(StandardCharsets.US_ASCII);
		utf8[24] = (byte) 0xFF;
		byte[] withOverlong = new byte[utf8.length + 1];
		System.arraycopy(utf8, 0, withOverlong, 0, 47);
		withOverlong[47] = (byte) 0xC0;
		withOverlong[48] = (byte) 0xA2;
		System.arraycopy(utf8, 48, withOverlong, 49, utf8.length - 48);
		for (byte[] bytes : List.of(utf8, withOverlong)) {
			String text = new String(bytes, StandardCharsets.UTF_8);
			ArvadosEvent event = ((ServerMessage.Event) this.decoder.decode(text, bytes)).event();
			assertThat(event.objectUuid()).isEqualTo("a\ufffdb");
			assertThat(event.properties()).isEqualTo(((ServerMessage.Event) this.decoder.decode(text)).event()
				.properties());
		}
	}

	@Test
	void decodesAListItemWithNineDigitTimesAndUnknownFields() {
		String json = "{\"kind\":\"arvados#log\",\"etag\":\"x\",\"id\":123457,\"uuid\":\"zzzzz-57u5n-0123456789abcde\","
				+ "\"event_at\":\"2024-05-01T12:34:56.789012000Z\",\"event_type\":\"create\",\"summary\":\"s\","
				+ "\"properties\":{\"old_attributes\":null,\"new_attributes\":{\"state\":\"Final\"}}}";
		ArvadosEvent event = ((ServerMessage.Event) this.decoder.decode(json)).event();
		assertThat(event.eventAt()).isEqualTo(Instant.parse("2024-05-01T12:34:56.789012Z"));
		assertThat(event.newAttributes()).containsEntry("state", "Final");
		assertThat(event.oldAttributes()).isEmpty();
		assertThat(event.objectKind()).isEmpty();
	}

	@Test
	void decodesAPageOfTheLogsListSkippingItemsWithoutAnId() {
		String json = "{\"kind\":\"arvados#logList\",\"etag\":\"\",\"offset\":0,\"limit\":1000,\"items\":["
				+ "{\"kind\":\"arvados#log\",\"id\":7,\"uuid\":\"zzzzz-57u5n-0000000000000a7\",\"object_uuid\":"
				+ "\"zzzzz-xvhdp-0123456789abcde\",\"object_kind\":\"arvados#containerRequest\",\"event_type\":\"update\","
				+ "\"event_at\":\"2024-05-01T12:34:56.000000000Z\",\"properties\":{\"new_attributes\":"
				+ "{\"state\":\"Final\",\"command\":[\"echo\"]}}},"
				+ "{\"kind\":\"arvados#log\",\"uuid\":\"zzzzz-57u5n-0000000000000a8\"},"
				+ "{\"id\":9,\"event_type\":\"create\"}]}";
		LogPage page = this.decoder.decodeList(json);
		assertThat(page.size()).isEqualTo(3);
		assertThat(page.malformed()).isEqualTo(1);
		assertThat(page.lastId(0)).isEqualTo(9);
		ArvadosEvent first = page.events().get(0);
		assertThat(first.eventAt()).isEqualTo(Instant.parse("2024-05-01T12:34:56Z"));
		assertThat(first.objectKind()).isEqualTo("arvados#containerRequest");
		assertThat(first.newAttributes()).containsEntry("command", List.of("echo"));
		assertThat(this.decoder.decode(first.json())).isEqualTo(new ServerMessage.Event(first));
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decodeList("{\"errors\":[\"Not logged in\"]}"));
	}

	@Test
	void tellsStatusRepliesAndKeepalivesFromEvents() {
		assertThat(this.decoder.decode("{\"status\":200}")).isEqualTo(new ServerMessage.Status(200));
		assertThat(this.decoder.decode("{\"status\":400}")).isEqualTo(new ServerMessage.Status(400));
		assertThat(this.decoder.decode("{}")).isInstanceOf(ServerMessage.Keepalive.class);
	}

	@Test
	void anUnreadableTimeDoesNotCostTheEvent() {
		ServerMessage message = this.decoder.decode("{\"id\":7,\"event_at\":\"yesterday\"}");
		assertThat(((ServerMessage.Event) message).event().eventAt()).isNull();
	}

	@Test
	void rejectsWhatIsNotAMessageWithAShortExcerpt() {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.decoder.decode("{\"id\":"))
			.withMessageContaining("Not valid JSON");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.decoder.decode("[1,2]"))
			.withMessageContaining("Not a JSON object");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decode("{\"id\":\"12\"}"))
			.withMessageContaining("not a positive integer");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decode("{\"hello\":1}"))
			.withMessageContaining("Neither an event nor a status");
		String garbage = "x".repeat(100_000);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.decoder.decode(garbage))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(400).contains("(100000 chars)"));
	}

	@Test
	void propertiesReadLaterAreTheSameMapsAfterTextThatIsNotAscii() {
		// Multi-byte characters before and inside the properties: the properties are found by byte offset.
		String json = "{\"id\":5,\"object_uuid\":\"zzzzz-4zz18-ünïcødé\",\"properties\":{\"new_attributes\":"
				+ "{\"name\":\"Grüße 😀\",\"size\":12345678901,\"tags\":[1,2.5,null,{\"k\":true}]}},"
				+ "\"event_type\":\"update\"}";
		ArvadosEvent event = ((ServerMessage.Event) this.decoder.decode(json)).event();
		assertThat(event.objectUuid()).isEqualTo("zzzzz-4zz18-ünïcødé");
		assertThat(event.eventType()).isEqualTo("update");
		assertThat(event.newAttributes()).containsEntry("name", "Grüße 😀")
			.containsEntry("size", 12345678901L)
			.containsEntry("tags", java.util.Arrays.asList(1, 2.5, null, java.util.Map.of("k", true)));
		assertThat(event.properties()).hasSize(1);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> event.properties().put("x", 1));
	}

	@Test
	void propertiesOfALargeMessageAreMadeAgainFromItsTextAndReadTheSame() {
		// Over EventDecoder.KEPT_BYTES the message's bytes are not kept: the properties come from the text again.
		String padding = "ü😀".repeat(EventDecoder.KEPT_BYTES / 4);
		String json = "{\"id\":5,\"object_uuid\":\"zzzzz-4zz18-ünïcødé\",\"properties\":{\"new_attributes\":"
				+ "{\"name\":\"Grüße\",\"text\":\"" + padding + "\"}},\"event_type\":\"update\"}";
		assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeGreaterThan(EventDecoder.KEPT_BYTES);
		ArvadosEvent event = ((ServerMessage.Event) this.decoder.decode(json)).event();
		assertThat(event.newAttributes()).containsEntry("name", "Grüße").containsEntry("text", padding);
		assertThat(event.properties()).hasSize(1);
	}

	@Test
	void aMessageIsCheckedWholeWhenItArrivesThoughItsPropertiesAreReadLater() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decode("{\"id\":5,\"properties\":{\"a\":[1,}}"))
			.withMessageContaining("Not valid JSON");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decode("{\"id\":5,\"properties\":{}} {\"id\":6}"))
			.withMessageContaining("Not valid JSON");
		for (String id : new String[] { "0", "-1", "-9223372036854775808" }) {
			assertThatExceptionOfType(MalformedMessageException.class)
				.isThrownBy(() -> this.decoder.decode("{\"id\":" + id + ",\"event_type\":\"update\"}"))
				.withMessageContaining("not a positive integer");
		}
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decode("{\"id\":5.5}"))
			.withMessageContaining("not a positive integer");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decode("{\"id\":123456789012345678901234567890}"))
			.withMessageContaining("not a positive integer");
	}

	@Test
	void readsTheHeaderAsAMapWould() {
		// The last of a repeated name wins; a null id is no id; properties that are no object are empty.
		ArvadosEvent event = ((ServerMessage.Event) this.decoder
			.decode("{\"id\":1,\"id\":2,\"event_type\":7,\"properties\":[1],\"extra\":{\"id\":3}}")).event();
		assertThat(event.id()).isEqualTo(2);
		assertThat(event.eventType()).isEmpty();
		assertThat(event.properties()).isEmpty();
		assertThat(this.decoder.decode("{\"id\":null,\"status\":200}")).isEqualTo(new ServerMessage.Status(200));
	}

}
