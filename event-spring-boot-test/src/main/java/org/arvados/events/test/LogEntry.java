package org.arvados.events.test;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

import org.arvados.events.test.format.Json;

/**
 * One committed row of the fake cluster's {@code logs} table, with the columns the WebSocket
 * server and the list endpoint read.
 *
 * @param id the sequence value, the client's resume cursor
 * @param uuid the log's own identifier, {@code zzzzz-57u5n-…}
 * @param objectUuid the object the event is about
 * @param objectOwnerUuid the owner of that object
 * @param objectKind the kind derived from {@code objectUuid}'s type infix, or {@code ""}
 * @param eventType {@code create}, {@code update}, {@code delete} or any other string
 * @param eventAt when the change happened (microseconds, like PostgreSQL)
 * @param createdAt when the row was inserted; replay windows and {@code created_at} filters use it
 * @param properties the full properties, as plain JSON values
 */
public record LogEntry(long id, String uuid, String objectUuid, String objectOwnerUuid, String objectKind,
		String eventType, Instant eventAt, Instant createdAt, Map<String, Object> properties) {

	/**
	 * Copies the properties into plain JSON values, so that what clients receive cannot change
	 * after the commit, whatever the caller does with its map.
	 */
	public LogEntry {
		Objects.requireNonNull(uuid, "uuid");
		Objects.requireNonNull(objectUuid, "objectUuid");
		Objects.requireNonNull(objectOwnerUuid, "objectOwnerUuid");
		Objects.requireNonNull(objectKind, "objectKind");
		Objects.requireNonNull(eventType, "eventType");
		Objects.requireNonNull(eventAt, "eventAt");
		Objects.requireNonNull(createdAt, "createdAt");
		Objects.requireNonNull(properties, "properties");
		properties = Collections.unmodifiableMap(Json.toPlainMap(properties));
	}

}
