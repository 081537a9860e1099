package org.arvados.events.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the JSON the Arvados server sends, from the WebSocket (trimmed properties, times with trailing
 * zeros cut) into {@link ServerMessage}s, and from the logs list (full properties, nine fraction digits) into a
 * {@link LogPage}; both give the same {@link ArvadosEvent}.
 * Unknown fields are ignored; anything that is not a JSON object, or an event without a positive integer id (log
 * ids start at 1), is {@link MalformedMessageException malformed}.
 */
public final class EventDecoder {

	/** A WebSocket message up to this size keeps its UTF-8 for its properties. */
	static final int KEPT_BYTES = 16 * 1024;

	// A private mapper: the application's own may be customised in ways that break decoding. One pass into plain
	// maps and lists, the form handlers and SpEL conditions read best; no intermediate tree. Its buffers are kept per
	// thread (Jackson's thread-local pool), not in its default concurrent deque: a parser per message, on the few
	// threads that read sockets and run handlers, and taking the deque's buffers was a fifth of what decoding a small
	// event cost over TLS (benchmarks/README.md).
	private final JsonMapper mapper = JsonMapper
		.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
		.build();

	private final ObjectReader reader = this.mapper.readerFor(Object.class);

	// Walks a page that holds an item the limits refuse; never used to build values.
	private final JsonMapper lenientMapper = JsonMapper.builder(JsonFactory.builder()
		.streamReadConstraints(StreamReadConstraints.builder()
			.maxNestingDepth(Integer.MAX_VALUE)
			.maxNameLength(Integer.MAX_VALUE)
			.maxStringLength(Integer.MAX_VALUE)
			.maxNumberLength(Integer.MAX_VALUE)
			.build())
		.build()).build();

	/**
	 * Decode one message. The header fields are read at once; the {@code properties} are checked for syntax and
	 * decoded on first use (see {@link LazyProperties}).
	 * @param json the text of one WebSocket frame
	 * @return the message
	 * @throws MalformedMessageException if the text is not a message of the protocol
	 */
	public ServerMessage decode(String json) {
		return decode(json, null);
	}

	/**
	 * Decode one message from the text and, when the client kept them, the bytes it was decoded from: reading
	 * those spares encoding the text again (about 3 µs of the 36-43 a 20 KiB event took over TLS on Netty's
	 * client). Bytes that were not well-formed UTF-8 (U+FFFD in the text) are not read: the text's own encoding
	 * is.
	 * @param json the text of one WebSocket message
	 * @param utf8 the UTF-8 that {@code json} was decoded from, or {@code null}
	 * @return the message
	 * @throws MalformedMessageException if the text is not a message of the protocol
	 * @see #decode(String)
	 */
	public ServerMessage decode(String json, byte @Nullable [] utf8) {
		byte[] bytes = (utf8 != null && json.indexOf('\uFFFD') < 0) ? utf8 : json.getBytes(StandardCharsets.UTF_8);
		EventHeader header = HeaderScanner.read(bytes);
		if (header == null) {
			header = readHeader(json, bytes);
		}
		if (header.fields == 0) {
			return new ServerMessage.Keepalive();
		}
		if (header.id == null) {
			if (header.status != null) {
				return new ServerMessage.Status(header.status);
			}
			throw new MalformedMessageException("Neither an event nor a status", json);
		}
		if (header.id instanceof Long id && id > 0) {
			// A small message's bytes are kept for its properties: a second copy made when a handler reads them was a
			// sixth of what the starter allocated per event. A large one's are not: they would double what each
			// waiting event holds.
			return new ServerMessage.Event(
					header.toEvent(this.reader, json, (bytes.length <= KEPT_BYTES) ? bytes : null, 0));
		}
		throw new MalformedMessageException("Event id is not a positive integer", json);
	}

	// Jackson's reading, for what the HeaderScanner leaves: it decides, and says what is wrong.
	EventHeader readHeader(String json, byte[] bytes) {
		try (JsonParser parser = parser(bytes, 0, bytes.length)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				read(json); // the reason in words: not JSON at all, or JSON but no object
				throw new MalformedMessageException("Not a JSON object", json);
			}
			EventHeader header = EventHeader.readObject(parser);
			if (parser.nextToken() != null) {
				throw new MalformedMessageException("Not valid JSON: more after the object", json);
			}
			return header;
		}
		catch (JacksonException ex) {
			throw notValidJson(ex, json);
		}
	}

	/**
	 * Decode one page of {@code GET /arvados/v1/logs}; see {@link #decodeList(byte[])}.
	 * @param json the response body
	 * @return the page
	 * @throws MalformedMessageException if the body is not a list with {@code items}
	 */
	public LogPage decodeList(String json) {
		return decodeList(json.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Decode one page of {@code GET /arvados/v1/logs}. An item without a positive integer id, or one Jackson refuses (nested
	 * deeper than 500 levels, a name over 50,000 characters: items carry whole {@code properties}, user metadata
	 * included), is skipped and counted; the id of a refused item, when it can be read, is in
	 * {@link LogPage#skippedIds()}. Each event's {@link ArvadosEvent#json() json} is the item's own text, cut from
	 * the page, not written anew.
	 * @param body the response body, UTF-8
	 * @return the page
	 * @throws MalformedMessageException if the body is not a list with {@code items}
	 */
	public LogPage decodeList(byte[] body) {
		try {
			return readPage(body, false);
		}
		catch (UndecodableItemException ex) {
			// Rare: read the page again, item by item.
			return readPage(body, true);
		}
	}

	// The fast way reads each item straight from the page's parser. The lenient way walks the page with a parser
	// without Jackson's defensive limits (streaming keeps no stack, and the list client bounds the body) and decodes
	// each item on its own, with the limits; a refused item's own top-level id is read on the way past it.
	private LogPage readPage(byte[] body, boolean lenient) {
		List<ArvadosEvent> events = new ArrayList<>();
		List<Long> skippedIds = lenient ? new ArrayList<>() : List.of();
		int size = -1;
		int limit = 0;
		try (JsonParser parser = (lenient ? this.lenientMapper : this.mapper).createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw notAList(body);
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("limit".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
					limit = (parser.getNumberType() == JsonParser.NumberType.INT) ? parser.getIntValue()
							: Integer.MAX_VALUE;
					continue;
				}
				if (!"items".equals(name) || value != JsonToken.START_ARRAY) {
					parser.skipChildren();
					continue;
				}
				size = 0;
				for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
					size++;
					int start = (int) parser.currentTokenLocation().getByteOffset();
					if (lenient) {
						Long id = (token == JsonToken.START_OBJECT) ? skipObjectReadingId(parser) : skip(parser);
						ArvadosEvent event = decodeItem(body, start, (int) parser.currentLocation().getByteOffset());
						if (event != null) {
							events.add(event);
						}
						else if (id != null) {
							skippedIds.add(id);
						}
						continue;
					}
					// As a WebSocket message: the header now, the properties on first use.
					if (token != JsonToken.START_OBJECT) {
						parser.skipChildren();
						continue;
					}
					EventHeader header;
					try {
						header = EventHeader.readObject(parser);
					}
					catch (JacksonException ex) {
						throw new UndecodableItemException();
					}
					if (header.id instanceof Long id && id > 0) {
						int end = (int) parser.currentLocation().getByteOffset();
						events.add(header.toEvent(this.reader, new String(body, start, end - start,
								StandardCharsets.UTF_8), null, start));
					}
				}
			}
		}
		catch (JacksonException ex) {
			throw notValidJson(ex, new String(body, StandardCharsets.UTF_8));
		}
		if (size < 0) {
			throw notAList(body);
		}
		return new LogPage(events, size, limit, skippedIds);
	}

	// Walked whole with Jackson's limits first (that is what refuses an item), then made an event as the fast way
	// makes it. Walked, not read into maps: an item of many small values would take twenty times its bytes as maps,
	// and any user may write such properties; they are decoded only if a handler asks (LazyProperties).
	private @Nullable ArvadosEvent decodeItem(byte[] body, int start, int end) {
		try {
			try (JsonParser walk = parser(body, start, end - start)) {
				if (walk.nextToken() != JsonToken.START_OBJECT) {
					return null;
				}
				walk.skipChildren();
			}
			try (JsonParser parser = parser(body, start, end - start)) {
				parser.nextToken();
				// Offsets as this parser counts them, from the item's first byte.
				int base = (int) parser.currentTokenLocation().getByteOffset();
				EventHeader header = EventHeader.readObject(parser);
				return (header.id instanceof Long id && id > 0)
						? header.toEvent(this.reader, new String(body, start, end - start, StandardCharsets.UTF_8), null,
								base)
						: null;
			}
		}
		catch (JacksonException ex) {
			// Counted by the caller; the item's text may be huge, so it is not quoted.
		}
		return null;
	}

	// The factory's parser, not the mapper's: that one builds a deserialization context per message.
	private JsonParser parser(byte[] bytes, int offset, int length) {
		return this.mapper.tokenStreamFactory().createParser(ObjectReadContext.empty(), bytes, offset, length);
	}

	// At an item's START_OBJECT: move to its END_OBJECT, returning its own "id" when that is an integer.
	private static @Nullable Long skipObjectReadingId(JsonParser parser) {
		Long id = null;
		int depth = 1;
		while (depth > 0) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				return id; // the end of the body: the caller's next read reports it
			}
			if (token.isStructStart()) {
				depth++;
			}
			else if (token.isStructEnd()) {
				depth--;
			}
			else if (depth == 1 && token == JsonToken.PROPERTY_NAME && "id".equals(parser.currentName())) {
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
						&& parser.getLongValue() > 0) {
					id = parser.getLongValue();
				}
				else if (value != null && value.isStructStart()) {
					depth++;
				}
			}
		}
		return id;
	}

	private static @Nullable Long skip(JsonParser parser) {
		parser.skipChildren();
		return null;
	}

	private static MalformedMessageException notAList(byte[] body) {
		return new MalformedMessageException("Not a list of logs", new String(body, StandardCharsets.UTF_8));
	}

	private @Nullable Object read(String json) {
		try {
			// Jackson's byte parser is faster than its char parser, and for the ASCII the server mostly sends,
			// getBytes is a plain copy of the compact string.
			return this.reader.readValue(json.getBytes(StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			throw notValidJson(ex, json);
		}
	}

	// Jackson's own message quotes up to 256 characters of input: the position is enough.
	private static MalformedMessageException notValidJson(JacksonException ex, String json) {
		String where = (ex.getLocation() != null) ? " at column " + ex.getLocation().getColumnNr() : "";
		return new MalformedMessageException("Not valid JSON" + where, json, ex);
	}

	/** A list item Jackson refused: the page is read again, leniently. */
	private static final class UndecodableItemException extends RuntimeException {

		UndecodableItemException() {
			super(null, null, false, false);
		}

	}

}
