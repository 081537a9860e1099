package org.arvados.events.test.format;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

/**
 * The three time formats of an Arvados cluster: PostgreSQL's microsecond clock, Go's trimmed
 * RFC 3339 on the WebSocket, and Rails' fixed nine fraction digits on the REST API.
 */
public final class Timestamps {

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	/** Go's {@code time.RFC3339Nano} parser: seconds and a zone are mandatory. */
	private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
		.appendPattern("uuuu-MM-dd'T'HH:mm:ss")
		.optionalStart()
		.appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
		.optionalEnd()
		.appendOffset("+HH:MM", "Z")
		.toFormatter();

	private Timestamps() {
	}

	/** The current time as PostgreSQL stores it (microseconds). */
	public static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	/** Go's {@code time.Time} JSON form: UTC, trailing fraction zeros trimmed. */
	public static String rfc3339Trimmed(Instant time) {
		String seconds = SECONDS.format(time);
		int nanos = time.getNano();
		if (nanos == 0) {
			return seconds + "Z";
		}
		String fraction = String.format("%09d", nanos);
		int end = fraction.length();
		while (fraction.charAt(end - 1) == '0') {
			end--;
		}
		return seconds + "." + fraction.substring(0, end) + "Z";
	}

	/** Rails' {@code %Y-%m-%dT%H:%M:%S.%NZ}: always nine fraction digits. */
	public static String rails(Instant time) {
		return SECONDS.format(time) + String.format(".%09dZ", time.getNano());
	}

	/** Parses like Go's {@code time.Parse(time.RFC3339Nano, s)}, or returns null. */
	public static @Nullable Instant parseRfc3339(String text) {
		try {
			return OffsetDateTime.parse(text, RFC3339).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * Parses a filter operand the way Rails' {@code Time.parse} commonly sees them: RFC 3339, or a
	 * date and time without zone (taken as UTC, like the database), or a bare date; else null.
	 */
	public static @Nullable Instant parseLenient(String text) {
		Instant strict = parseRfc3339(text);
		if (strict != null) {
			return strict;
		}
		String iso = text.trim().replace(' ', 'T');
		try {
			return OffsetDateTime.parse(iso).toInstant();
		}
		catch (DateTimeParseException ex) {
			// try the zone-less forms below
		}
		try {
			return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			// try a bare date below
		}
		try {
			return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
