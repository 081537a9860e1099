package org.arvados.events.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * Where a subscription starts when the application starts: {@code latest} (only events from now on, as the
 * Python SDK does), {@code checkpoint} (after the saved position; like {@code latest} when none is saved), an
 * event id (that event and every later one), or a time: an instant ({@code 2026-11-28T00:00:00Z}) or a duration
 * before the start ({@code 1h}, {@code 30m}), from the first event created then, read through the logs list as
 * {@code arv-ws --start-time} does. A time, like {@code checkpoint}, applies only when no position is saved.
 *
 * @param kind which of the four
 * @param id for {@link Kind#ID}, the first id to deliver
 * @param at for {@link Kind#TIME} given as an instant, that instant
 * @param ago for {@link Kind#TIME} given as a duration, how long before the start
 */
public record StartFrom(Kind kind, long id, @Nullable Instant at, @Nullable Duration ago) {

	// A century reaches back before any Arvados cluster, and its nanoseconds (3.2e18) still fit in a long.
	private static final Duration MAX_AGO = Duration.ofDays(36_500);

	/** Only events that arrive from now on: the default. */
	public static final StartFrom LATEST = new StartFrom(Kind.LATEST, 0);

	/** After the checkpoint store's position, or as {@link #LATEST} when it has none. */
	public static final StartFrom CHECKPOINT = new StartFrom(Kind.CHECKPOINT, 0);

	private static final String FORMS = "must be 'latest', 'checkpoint', a positive event id, an instant such as "
			+ "2026-11-28T00:00:00Z or a duration before the start such as 1h or 30m";

	/** The ways to start. */
	public enum Kind {

		/** Only events that arrive from now on. */
		LATEST,

		/** After the checkpoint store's position, or as {@link #LATEST} when it has none. */
		CHECKPOINT,

		/** From a given id. */
		ID,

		/** After the checkpoint store's position, or from the first event created at or after a time. */
		TIME

	}

	/**
	 * A start: a time has an instant or a duration, exactly one; the others have neither.
	 */
	public StartFrom {
		boolean time = (at != null) != (ago != null);
		if ((kind == Kind.TIME) ? !time : (at != null || ago != null)) {
			throw new IllegalArgumentException("A start from a time has either an instant or a duration, and only it");
		}
		if (ago != null && (ago.isNegative() || ago.isZero() || ago.compareTo(MAX_AGO) > 0)) {
			throw new IllegalArgumentException("a duration before the start must be positive and at most 36500d, not "
					+ ago);
		}
	}

	/**
	 * A start that is not a time.
	 * @param kind which
	 * @param id for {@link Kind#ID}, the first id to deliver
	 */
	public StartFrom(Kind kind, long id) {
		this(kind, id, null, null);
	}

	/**
	 * From the first event created at or after an instant.
	 * @param at the instant
	 * @return the start
	 */
	public static StartFrom at(Instant at) {
		return new StartFrom(Kind.TIME, 0, at, null);
	}

	/**
	 * From the first event created at most this long before the start.
	 * @param ago a positive duration of at most 36500 days
	 * @return the start
	 */
	public static StartFrom ago(Duration ago) {
		return new StartFrom(Kind.TIME, 0, null, ago);
	}

	/**
	 * For {@link Kind#TIME}: the time the history starts at, for a start now.
	 * @param clock the clock that says when now is
	 * @return the instant
	 */
	public Instant since(Clock clock) {
		if (this.at != null) {
			return this.at;
		}
		if (this.ago != null) {
			return clock.instant().minus(this.ago);
		}
		throw new IllegalStateException(this + " is not a time");
	}

	/**
	 * Read {@code latest}, {@code checkpoint}, a positive id, an instant with a zone ({@code Z} or {@code +hh:mm}),
	 * or a duration in Spring Boot's style ({@code 1h}, {@code 30m}, {@code PT1H}). A bare number is an id.
	 * @param value the text
	 * @return the start
	 * @throws IllegalArgumentException if it is none of those, or a time in the future
	 */
	public static StartFrom parse(String value) {
		String trimmed = value.trim();
		String text = trimmed.toLowerCase(Locale.ROOT);
		if (text.equals("latest")) {
			return LATEST;
		}
		if (text.equals("checkpoint")) {
			return CHECKPOINT;
		}
		if (text.matches("[+-]?\\d+")) {
			long id = parseId(text);
			if (id > 0) {
				return new StartFrom(Kind.ID, id);
			}
			throw new IllegalArgumentException(FORMS + ", not '" + value + "'");
		}
		Instant at = parseInstant(trimmed);
		if (at != null) {
			if (at.isAfter(Instant.now())) {
				throw new IllegalArgumentException("must not be in the future: " + trimmed);
			}
			return at(at);
		}
		Duration ago = parseDuration(trimmed);
		if (ago != null) {
			return ago(ago);
		}
		throw new IllegalArgumentException(FORMS + ", not '" + value + "'");
	}

	private static long parseId(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			return 0; // out of range: reported by the caller
		}
	}

	private static @Nullable Instant parseInstant(String text) {
		try {
			return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static @Nullable Duration parseDuration(String text) {
		try {
			return DurationStyle.detectAndParse(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * How the start reads in a log line.
	 */
	public String describe() {
		return switch (this.kind) {
			case LATEST -> "new events only";
			case CHECKPOINT -> "new events only: no position is saved";
			case ID -> "from id " + this.id;
			case TIME -> "from events created since "
					+ ((this.at != null) ? this.at.toString() : print(this.ago) + " before the start");
		};
	}

	// In the largest unit that divides it: 1h, not 3600000ms.
	private static String print(@Nullable Duration duration) {
		if (duration == null) {
			return "?";
		}
		for (ChronoUnit unit : new ChronoUnit[] { ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS }) {
			if (duration.toNanos() % unit.getDuration().toNanos() == 0) {
				return DurationStyle.SIMPLE.print(duration, unit);
			}
		}
		return DurationStyle.SIMPLE.print(duration);
	}

}
