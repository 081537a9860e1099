package org.arvados.events.decode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the JSON the Arvados server sends, from the WebSocket (trimmed properties, times with trailing
 * zeros cut) into {@link ServerMessage}s, and from the logs list (full properties, nine fraction digits) into a
 * {@link LogPage}; both give the same {@link ArvadosEvent}.
 * Unknown fields are ignored; anything that is not a JSON object, or an event without an integer id, is
 * {@link MalformedMessageException malformed}.
 */
public final class EventDecoder {

	// A private mapper: the application's own may be customised in ways that break decoding. One pass into plain
	// maps and lists, the form handlers and SpEL conditions read best; no intermediate tree.
	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ObjectReader reader = this.mapper.readerFor(Object.class);

	// Reads one item of a list, where the next item is no trailing garbage.
	private final ObjectReader itemReader = this.reader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	/**
	 * Decode one message.
	 * @param json the text of one WebSocket frame or one list item
	 * @return the message
	 * @throws MalformedMessageException if the text is not a message of the protocol
	 */
	public ServerMessage decode(String json) {
		if (!(read(json) instanceof Map<?, ?> message)) {
			throw new MalformedMessageException("Not a JSON object", json);
		}
		if (message.isEmpty()) {
			return new ServerMessage.Keepalive();
		}
		Object id = message.get("id");
		if (id == null) {
			if (message.get("status") instanceof Integer status) {
				return new ServerMessage.Status(status);
			}
			throw new MalformedMessageException("Neither an event nor a status", json);
		}
		if (!isLong(id)) {
			throw new MalformedMessageException("Event id is not an integer", json);
		}
		return new ServerMessage.Event(toEvent(((Number) id).longValue(), message, json));
	}

	/**
	 * Decode one page of {@code GET /arvados/v1/logs}. An item without an integer id is skipped and counted.
	 * Each event's {@link ArvadosEvent#json() json} is the item's own text, cut from the page, not written anew.
	 * @param json the response body
	 * @return the page
	 * @throws MalformedMessageException if the body is not a list with {@code items}
	 */
	public LogPage decodeList(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		List<ArvadosEvent> events = new ArrayList<>();
		int size = -1;
		try (JsonParser parser = this.mapper.createParser(bytes)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new MalformedMessageException("Not a list of logs", json);
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				boolean items = "items".equals(parser.currentName());
				JsonToken value = parser.nextToken();
				if (!items || value != JsonToken.START_ARRAY) {
					parser.skipChildren();
					continue;
				}
				size = 0;
				for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
					size++;
					int start = (int) parser.currentTokenLocation().getByteOffset();
					Object item = this.itemReader.readValue(parser);
					if (item instanceof Map<?, ?> log && isLong(log.get("id"))) {
						int end = (int) parser.currentLocation().getByteOffset();
						events.add(toEvent(((Number) log.get("id")).longValue(), log,
								new String(bytes, start, end - start, StandardCharsets.UTF_8)));
					}
				}
			}
		}
		catch (JacksonException ex) {
			throw notValidJson(ex, json);
		}
		if (size < 0) {
			throw new MalformedMessageException("Not a list of logs", json);
		}
		return new LogPage(events, size);
	}

	private static boolean isLong(@Nullable Object id) {
		return id instanceof Integer || id instanceof Long
				|| (id instanceof BigInteger big && big.bitLength() < Long.SIZE);
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

	@SuppressWarnings("unchecked")
	private static ArvadosEvent toEvent(long id, Map<?, ?> message, String json) {
		Map<String, Object> properties = (message.get("properties") instanceof Map<?, ?> map)
				? Collections.unmodifiableMap((Map<String, Object>) map) : Map.of();
		return new ArvadosEvent(id, text(message, "uuid"), text(message, "object_uuid"),
				text(message, "object_owner_uuid"), text(message, "object_kind"), text(message, "event_type"),
				ArvadosTimes.parse(text(message, "event_at")), properties, json);
	}

	private static String text(Map<?, ?> message, String field) {
		return (message.get(field) instanceof String value) ? value : "";
	}

}
