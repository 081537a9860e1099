package org.arvados.events.test.websocket;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.format.Json;
import org.arvados.events.test.format.Timestamps;

/**
 * An event as arvados-ws puts it on the wire ({@code session_v0.go} {@code EventMessage}), encoded
 * once per commit and completed with each connection's own {@code msgID} at send time.
 *
 * <p>Keys are sorted as Go sorts map keys; {@code msgID} falls between {@code id} and
 * {@code object_kind}, so the frame is kept as the JSON before and after it.
 */
final class EventFrame implements OutgoingFrame {

	/** The attributes arvados-ws keeps from {@code old_attributes} and {@code new_attributes}. */
	private static final Set<String> SENT_ATTRIBUTES = Set.of("is_trashed", "name", "owner_uuid",
			"portable_data_hash", "requesting_container_uuid", "state");

	private final String head;

	private final String tail;

	private final long id;

	private EventFrame(String head, String tail, long id) {
		this.head = head;
		this.tail = tail;
		this.id = id;
	}

	static EventFrame of(LogEntry entry) {
		Map<String, Object> before = new TreeMap<>();
		before.put("event_at", Timestamps.rfc3339Trimmed(entry.eventAt()));
		before.put("event_type", entry.eventType());
		before.put("id", entry.id());
		Map<String, Object> after = new TreeMap<>();
		after.put("object_kind", entry.objectKind());
		after.put("object_owner_uuid", entry.objectOwnerUuid());
		after.put("object_uuid", entry.objectUuid());
		after.put("properties", wireProperties(entry.properties()));
		after.put("uuid", entry.uuid());
		String head = Json.GO.writeValueAsString(before);
		String tail = Json.GO.writeValueAsString(after);
		return new EventFrame(head.substring(0, head.length() - 1) + ",\"msgID\":",
				"," + tail.substring(1), entry.id());
	}

	@Override
	public String render(LongSupplier msgIds) {
		return this.head + msgIds.getAsLong() + this.tail;
	}

	@Override
	public String describe() {
		return "event id " + this.id;
	}

	/**
	 * Whole properties when there is a {@code text} (a log line), otherwise only the attribute
	 * maps that are JSON objects, trimmed, so clients never rely on more than the real server sends.
	 */
	private static Map<String, Object> wireProperties(Map<String, Object> properties) {
		if (properties.get("text") != null) {
			return properties;
		}
		Map<String, Object> sent = new TreeMap<>();
		for (String key : new String[] { "old_attributes", "new_attributes" }) {
			if (properties.get(key) instanceof Map<?, ?> attributes) {
				Map<Object, Object> trimmed = new TreeMap<>();
				for (Map.Entry<?, ?> attribute : attributes.entrySet()) {
					if (SENT_ATTRIBUTES.contains(attribute.getKey())) {
						trimmed.put(attribute.getKey(), attribute.getValue());
					}
				}
				sent.put(key, trimmed);
			}
		}
		return sent;
	}

}
