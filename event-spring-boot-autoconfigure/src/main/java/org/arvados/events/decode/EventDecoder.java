package org.arvados.events.decode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the JSON the Arvados server sends, from the WebSocket (trimmed properties, times with trailing
 * zeros cut) or from the logs list (full properties, nine fraction digits), into {@link ServerMessage}s.
 * Unknown fields are ignored; anything that is not a JSON object, or an event without an integer id, is
 * {@link MalformedMessageException malformed}.
 */
public final class EventDecoder {

	// A private mapper: the application's own may be customised in ways that break decoding. One pass into plain
	// maps and lists, the form handlers and SpEL conditions read best; no intermediate tree.
	private final ObjectReader reader = JsonMapper.builder().build().readerFor(Object.class);

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
		if (!(id instanceof Integer || id instanceof Long
				|| (id instanceof BigInteger big && big.bitLength() < Long.SIZE))) {
			throw new MalformedMessageException("Event id is not an integer", json);
		}
		return new ServerMessage.Event(toEvent(((Number) id).longValue(), message, json));
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
