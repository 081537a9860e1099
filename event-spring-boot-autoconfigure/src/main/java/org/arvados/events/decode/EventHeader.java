package org.arvados.events.decode;

import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectReader;

/**
 * The fields of a WebSocket message or a list item that are read at once, by one pass of the parser, with where
 * its properties are. As a map would, the last of a repeated name wins, and a JSON {@code null} counts as absent.
 */
final class EventHeader {

	int fields;

	/** A {@link Long}, or {@link Boolean#FALSE} when present but no integer; {@code null} when absent. */
	@Nullable Object id;

	@Nullable Integer status;

	String uuid = "";

	String objectUuid = "";

	String objectOwnerUuid = "";

	String objectKind = "";

	String eventType = "";

	String eventAt = "";

	int propertiesStart;

	int propertiesEnd;

	/**
	 * Read the fields of the object the parser is at (its {@code START_OBJECT} just read), up to its end.
	 * @param parser the parser
	 * @return the fields
	 */
	static EventHeader readObject(JsonParser parser) {
		EventHeader header = new EventHeader();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			header.read(parser.currentName(), parser);
		}
		return header;
	}

	/**
	 * The event these fields make, its properties to be decoded on first use.
	 * @param reader reads the properties into maps
	 * @param json the event's own text
	 * @param base the byte offset of that text where the offsets were taken
	 * @throws ClassCastException unless {@link #id} is a {@link Long}
	 */
	ArvadosEvent toEvent(ObjectReader reader, String json, byte @Nullable [] utf8, int base) {
		Map<String, Object> properties = (this.propertiesEnd > 0)
				? new LazyProperties(reader, json, utf8, this.propertiesStart - base, this.propertiesEnd - base) : Map.of();
		return new ArvadosEvent((Long) this.id, this.uuid, this.objectUuid, this.objectOwnerUuid, this.objectKind,
				this.eventType, ArvadosTimes.parse(this.eventAt), properties, json);
	}

	private void read(String name, JsonParser parser) {
		this.fields++;
		JsonToken value = parser.nextToken();
		switch (name) {
			case "id" -> this.id = integer(parser, value);
			case "status" -> this.status = (value == JsonToken.VALUE_NUMBER_INT
					&& parser.getNumberType() == JsonParser.NumberType.INT) ? parser.getIntValue() : null;
			case "uuid" -> this.uuid = text(parser, value);
			case "object_uuid" -> this.objectUuid = text(parser, value);
			case "object_owner_uuid" -> this.objectOwnerUuid = text(parser, value);
			case "object_kind" -> this.objectKind = text(parser, value);
			case "event_type" -> this.eventType = text(parser, value);
			case "event_at" -> this.eventAt = text(parser, value);
			case "properties" -> {
				int start = (int) parser.currentTokenLocation().getByteOffset();
				parser.skipChildren();
				boolean object = value == JsonToken.START_OBJECT;
				this.propertiesStart = object ? start : 0;
				this.propertiesEnd = object ? (int) parser.currentLocation().getByteOffset() : 0;
			}
			default -> parser.skipChildren();
		}
	}

	private static @Nullable Object integer(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_NULL) {
			return null;
		}
		if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
			return parser.getLongValue();
		}
		parser.skipChildren();
		return Boolean.FALSE;
	}

	private static String text(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		parser.skipChildren();
		return "";
	}

}
