package org.arvados.events.decode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the JSON the Arvados server sends, from the WebSocket (trimmed properties, times with trailing
 * zeros cut) or from the logs list (full properties, nine fraction digits), into {@link ServerMessage}s.
 * Unknown fields are ignored; anything that is not a JSON object, or an event without a numeric id, is
 * {@link MalformedMessageException malformed}.
 */
public final class EventDecoder {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	// A private mapper: the application's own ObjectMapper may be customised in ways that break decoding.
	private final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Decode one message.
	 * @param json the text of one WebSocket frame or one list item
	 * @return the message
	 * @throws MalformedMessageException if the text is not a message of the protocol
	 */
	public ServerMessage decode(String json) {
		JsonNode node = readTree(json);
		if (!node.isObject()) {
			throw new MalformedMessageException("Not a JSON object", json);
		}
		if (node.isEmpty()) {
			return new ServerMessage.Keepalive();
		}
		JsonNode id = node.get("id");
		if (id == null) {
			JsonNode status = node.get("status");
			if (status != null && status.isIntegralNumber()) {
				return new ServerMessage.Status(status.intValue());
			}
			throw new MalformedMessageException("Neither an event nor a status", json);
		}
		if (!id.isIntegralNumber() || !id.canConvertToLong()) {
			throw new MalformedMessageException("Event id is not an integer", json);
		}
		return new ServerMessage.Event(toEvent(id.longValue(), node, json));
	}

	private JsonNode readTree(String json) {
		try {
			return this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			// Jackson's own message quotes up to 256 characters of input: the position is enough.
			String where = (ex.getLocation() != null) ? " at column " + ex.getLocation().getColumnNr() : "";
			throw new MalformedMessageException("Not valid JSON" + where, json, ex);
		}
	}

	private ArvadosEvent toEvent(long id, JsonNode node, String json) {
		JsonNode properties = node.get("properties");
		Map<String, Object> propertyMap = (properties != null && properties.isObject())
				? Collections.unmodifiableMap(this.mapper.convertValue(properties, MAP)) : Map.of();
		return new ArvadosEvent(id, text(node, "uuid"), text(node, "object_uuid"), text(node, "object_owner_uuid"),
				text(node, "object_kind"), text(node, "event_type"), instant(node, "event_at"), propertyMap, json);
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : "";
	}

	// An unreadable time must not cost the user the event: it is delivered without one.
	private static @Nullable Instant instant(JsonNode node, String field) {
		String value = text(node, field);
		try {
			return value.isEmpty() ? null : Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
