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
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
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
	private final ObjectReader reader;

	private final ObjectWriter writer;

	public EventDecoder() {
		JsonMapper mapper = JsonMapper.builder().build();
		this.reader = mapper.readerFor(Object.class);
		this.writer = mapper.writer();
	}

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
	 * @param json the response body
	 * @return the page
	 * @throws MalformedMessageException if the body is not a list with {@code items}
	 */
	public LogPage decodeList(String json) {
		if (!(read(json) instanceof Map<?, ?> list) || !(list.get("items") instanceof List<?> items)) {
			throw new MalformedMessageException("Not a list of logs", json);
		}
		List<ArvadosEvent> events = new ArrayList<>(items.size());
		for (Object item : items) {
			if (item instanceof Map<?, ?> log && isLong(log.get("id"))) {
				// The item's own JSON, for handlers that read ArvadosEvent.json(); the page is one text.
				events.add(toEvent(((Number) log.get("id")).longValue(), log, this.writer.writeValueAsString(log)));
			}
		}
		return new LogPage(events, items.size());
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
			// Jackson's own message quotes up to 256 characters of input: the position is enough.
			String where = (ex.getLocation() != null) ? " at column " + ex.getLocation().getColumnNr() : "";
			throw new MalformedMessageException("Not valid JSON" + where, json, ex);
		}
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
