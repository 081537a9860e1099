package org.arvados.events;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One row of the Arvados log, as delivered to {@code @EventHandler} methods.
 * <p>
 * The WebSocket server sends only a trimmed {@code properties} map (see the protocol notes:
 * {@code old_attributes}/{@code new_attributes} keep {@code is_trashed, name, owner_uuid,
 * portable_data_hash, requesting_container_uuid, state}); the REST list endpoint sends it whole.
 *
 * @param id the log id, the position in the stream
 * @param uuid the log row's UUID ({@code zzzzz-57u5n-…})
 * @param objectUuid the UUID of the object that changed
 * @param objectOwnerUuid the owner of that object, empty when unknown
 * @param objectKind the object's kind, e.g. {@code arvados#containerRequest}, empty when unknown
 * @param eventType {@code create}, {@code update}, {@code delete} or an application's own type
 * @param eventAt when the change happened
 * @param properties the event's properties (nested maps, lists, strings, numbers, booleans)
 * @param json the message exactly as the WebSocket server sent it, or the list item as JSON
 */
public record ArvadosEvent(long id, String uuid, String objectUuid, String objectOwnerUuid, String objectKind,
		String eventType, @Nullable Instant eventAt, Map<String, Object> properties, String json) {

	/**
	 * The object's attributes after the change ({@code properties.new_attributes}), empty for a delete.
	 * @return the new attributes, never {@code null}
	 */
	public Map<String, Object> newAttributes() {
		return attributes("new_attributes");
	}

	/**
	 * The object's attributes before the change ({@code properties.old_attributes}), empty for a create.
	 * @return the old attributes, never {@code null}
	 */
	public Map<String, Object> oldAttributes() {
		return attributes("old_attributes");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> attributes(String key) {
		Object value = this.properties.get(key);
		return (value instanceof Map) ? (Map<String, Object>) value : Map.of();
	}

	// The raw JSON can be megabytes: keep it out of log lines that print an event; and keep those lines one each.
	@Override
	public String toString() {
		return "ArvadosEvent[id=" + this.id + ", eventType=" + LogSafe.forLog(this.eventType) + ", objectKind="
				+ LogSafe.forLog(this.objectKind) + ", objectUuid=" + LogSafe.forLog(this.objectUuid) + ", eventAt="
				+ this.eventAt + "]";
	}

}
