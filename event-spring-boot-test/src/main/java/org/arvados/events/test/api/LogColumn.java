package org.arvados.events.test.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.format.Timestamps;
import org.arvados.events.test.store.Uuids;
import org.jspecify.annotations.Nullable;

/**
 * The {@code logs} columns the fake list endpoint filters and orders on, each with the type that
 * decides how a filter operand is read (PostgreSQL casts {@code "123"} for an integer column, and
 * Rails parses time strings).
 */
enum LogColumn {

	ID("id", Type.NUMBER, LogEntry::id),
	UUID("uuid", Type.STRING, LogEntry::uuid),
	OWNER_UUID("owner_uuid", Type.STRING, (entry) -> Uuids.SYSTEM_USER),
	MODIFIED_BY_USER_UUID("modified_by_user_uuid", Type.STRING, (entry) -> Uuids.SYSTEM_USER),
	OBJECT_UUID("object_uuid", Type.STRING, LogEntry::objectUuid),
	OBJECT_OWNER_UUID("object_owner_uuid", Type.STRING, LogEntry::objectOwnerUuid),
	OBJECT_KIND("object_kind", Type.STRING, LogEntry::objectKind),
	EVENT_TYPE("event_type", Type.STRING, LogEntry::eventType),
	CREATED_AT("created_at", Type.TIME, LogEntry::createdAt),
	MODIFIED_AT("modified_at", Type.TIME, LogEntry::createdAt),
	EVENT_AT("event_at", Type.TIME, LogEntry::eventAt);

	/** How operands are converted before comparing. */
	enum Type {

		NUMBER, STRING, TIME

	}

	private final String column;

	private final Type type;

	private final Function<LogEntry, Comparable<?>> value;

	LogColumn(String column, Type type, Function<LogEntry, Comparable<?>> value) {
		this.column = column;
		this.type = type;
		this.value = value;
	}

	static Optional<LogColumn> named(String name) {
		return Arrays.stream(values()).filter((column) -> column.column.equals(name)).findFirst();
	}

	String columnName() {
		return this.column;
	}

	Type type() {
		return this.type;
	}

	/** Unique columns end an ORDER BY: Rails adds no tiebreak after them. */
	boolean isUnique() {
		return this == ID || this == UUID;
	}

	@SuppressWarnings("unchecked")
	Comparable<Object> read(LogEntry entry) {
		return (Comparable<Object>) this.value.apply(entry);
	}

	/** Converts a filter operand to this column's type, or fails like the API server (422). */
	Comparable<?> operand(@Nullable Object operand, String operator) {
		switch (this.type) {
			case NUMBER -> {
				if (operand instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
					return number.longValue();
				}
				if (operand instanceof String text && text.trim().matches("-?\\d+")) {
					return Long.parseLong(text.trim());
				}
			}
			case STRING -> {
				if (operand instanceof String text) {
					return text;
				}
			}
			case TIME -> {
				Instant time = (operand instanceof String text) ? Timestamps.parseLenient(text) : null;
				if (time != null) {
					return time;
				}
			}
		}
		throw ApiException.unprocessable("Invalid operand '" + operand + "' for '" + operator + "' operator on "
				+ this.column + " in filters");
	}

}
