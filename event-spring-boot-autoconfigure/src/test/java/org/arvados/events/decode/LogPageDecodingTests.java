package org.arvados.events.decode;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A page of the logs list: the limit the server applied, and items Jackson refuses (list items carry whole
 * {@code properties}, user metadata included), which cost that item only.
 */
class LogPageDecodingTests {

	private final EventDecoder decoder = new EventDecoder();

	@Test
	void eachItemKeepsItsOwnTextAndItsPropertiesAfterItemsThatAreNotAscii() {
		String first = "{\"id\":1,\"object_uuid\":\"zzzzz-4zz18-ünïcødé\",\"properties\":{\"new_attributes\":"
				+ "{\"name\":\"Grüße 😀\"}}}";
		String second = "{\"id\":2,\"summary\":\"€\",\"properties\":{\"new_attributes\":{\"name\":\"naïve\","
				+ "\"tags\":[\"ß\"]}}}";
		LogPage page = this.decoder.decodeList(page(2, first, second));
		assertThat(page.events()).extracting(ArvadosEvent::json).containsExactly(first, second);
		assertThat(page.events().get(0).newAttributes()).containsEntry("name", "Grüße 😀");
		assertThat(page.events().get(1).newAttributes()).containsEntry("name", "naïve")
			.containsEntry("tags", java.util.List.of("ß"));
	}

	@Test
	void aPageIsFullWhenItIsAsLongAsTheLimitTheServerApplied() {
		LogPage capped = this.decoder.decodeList(page(3, item(1), item(2), item(3)));
		assertThat(capped.limit()).isEqualTo(3);
		assertThat(capped.isFull(10)).isTrue();
		LogPage shortPage = this.decoder.decodeList(page(3, item(1), item(2)));
		assertThat(shortPage.isFull(10)).isFalse();
		// Without the envelope's word, the limit asked for.
		LogPage unsaid = this.decoder.decodeList("{\"items\":[" + item(1) + "," + item(2) + "]}");
		assertThat(unsaid.limit()).isZero();
		assertThat(unsaid.isFull(2)).isTrue();
		assertThat(unsaid.isFull(3)).isFalse();
	}

	@Test
	void anItemNestedTooDeeplyIsSkippedAndTheRestOfThePageDecoded() {
		String deep = "{\"id\":2,\"event_type\":\"update\",\"properties\":" + "[".repeat(600) + "]".repeat(600) + "}";
		LogPage page = this.decoder.decodeList(page(1000, item(1), deep, item(3)));
		assertThat(page.events()).extracting(ArvadosEvent::id).containsExactly(1L, 3L);
		assertThat(page.size()).isEqualTo(3);
		assertThat(page.malformed()).isEqualTo(1);
		assertThat(page.skippedIds()).containsExactly(2L);
		assertThat(page.events().get(1).json()).isEqualTo(item(3));
	}

	@Test
	void theItemsOfAPageReadAgainKeepTheirProperties() {
		String deep = "{\"id\":2,\"properties\":" + "[".repeat(600) + "]".repeat(600) + "}";
		String named = "{\"kind\":\"arvados#log\",\"id\":3,\"object_uuid\":\"zzzzz-4zz18-ünïcødé\","
				+ "\"properties\":{\"new_attributes\":{\"name\":\"Grüße\"}}}";
		LogPage page = this.decoder.decodeList(page(1000, item(1), deep, named));
		assertThat(page.events()).extracting(ArvadosEvent::id).containsExactly(1L, 3L);
		assertThat(page.events().get(1).json()).isEqualTo(named);
		assertThat(page.events().get(1).objectUuid()).isEqualTo("zzzzz-4zz18-ünïcødé");
		assertThat(page.events().get(1).newAttributes()).containsEntry("name", "Grüße");
	}

	@Test
	void anItemWithANameTooLongIsSkippedWithItsIdEvenWhenTheIdComesAfterIt() {
		String longName = "{\"properties\":{\"" + "n".repeat(60_000) + "\":1},\"id\":5}";
		LogPage page = this.decoder.decodeList(page(1000, item(4), longName, item(6)));
		assertThat(page.events()).extracting(ArvadosEvent::id).containsExactly(4L, 6L);
		assertThat(page.skippedIds()).containsExactly(5L);
		assertThat(page.lastId(0)).isEqualTo(6);
	}

	@Test
	void theIdOfASkippedLastItemStillMovesThePagingOn() {
		String deep = "{\"id\":9,\"properties\":{\"a\":" + "{\"b\":".repeat(600) + "1" + "}".repeat(600) + "}}";
		LogPage page = this.decoder.decodeList(page(2, item(8), deep));
		assertThat(page.isFull(2)).isTrue();
		assertThat(page.lastId(0)).isEqualTo(9);
	}

	@Test
	void anItemWithoutAReadableIdIsCountedWithoutOne() {
		String deepWithoutId = "{\"properties\":" + "[".repeat(600) + "]".repeat(600) + "}";
		String nested = "{\"properties\":{\"id\":77,\"deep\":" + "[".repeat(600) + "]".repeat(600) + "}}";
		LogPage page = this.decoder.decodeList(page(1000, deepWithoutId, "{\"id\":\"12\"}", nested, item(13)));
		assertThat(page.events()).extracting(ArvadosEvent::id).containsExactly(13L);
		assertThat(page.malformed()).isEqualTo(3);
		assertThat(page.skippedIds()).isEmpty();
	}

	@Test
	void aBodyThatIsNotJsonStillFailsTheWholePage() {
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decodeList("{\"items\":[" + item(1) + ",{\"id\":2,"));
		String deep = "{\"id\":2,\"properties\":" + "[".repeat(600) + "]".repeat(600) + "}";
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.decoder.decodeList("{\"items\":[" + item(1) + "," + deep + ",{\"id\":3,"));
	}

	@Test
	void anItemWhoseIdIsNotPositiveIsSkippedWithoutItsIdEitherWay() {
		String zero = "{\"id\":0,\"event_type\":\"update\"}";
		String negative = "{\"id\":-9223372036854775808,\"properties\":{\"" + "n".repeat(50_001) + "\":1}}";
		LogPage page = this.decoder.decodeList(page(1000, item(1), zero, negative, item(4)));
		assertThat(page.events()).extracting(ArvadosEvent::id).containsExactly(1L, 4L);
		assertThat(page.skippedIds()).isEmpty();
		assertThat(page.malformed()).isEqualTo(2);
	}

	@Test
	void aPageReadAgainDoesNotBuildTheValuesOfItsItems() {
		// The long name sends the page down the lenient way; the other item is 15 MB of empty objects, which as maps
		// would take ~20 times its bytes (an OutOfMemoryError at -Xmx256m).
		String longName = "{\"id\":2,\"properties\":{\"" + "n".repeat(50_001) + "\":1}}";
		String empties = "{\"id\":3,\"properties\":{\"a\":[" + "{},".repeat(5_000_000) + "{}]}}";
		byte[] body = page(1000, item(1), longName, empties, item(4)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
			.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		LogPage page = this.decoder.decodeList(body);
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(page.events()).extracting(ArvadosEvent::id).containsExactly(1L, 3L, 4L);
		assertThat(page.skippedIds()).containsExactly(2L);
		// The item's text (a String of its bytes) and the parsers' buffers; maps would be ~300 MB.
		assertThat(allocated).as("bytes allocated to decode a page of %d bytes", body.length)
			.isLessThan(4L * body.length);
	}

	private static String page(int limit, String... items) {
		return "{\"kind\":\"arvados#logList\",\"offset\":0,\"limit\":" + limit + ",\"items\":[" + String.join(",", items)
				+ "]}";
	}

	private static String item(long id) {
		return "{\"kind\":\"arvados#log\",\"id\":" + id + ",\"event_type\":\"update\",\"properties\":{}}";
	}

}
