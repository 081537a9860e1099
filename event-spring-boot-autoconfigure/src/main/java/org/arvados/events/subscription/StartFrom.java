package org.arvados.events.subscription;

import java.util.Locale;

/**
 * Where a subscription starts when the application starts: {@code latest} (only events from now on, as the
 * Python SDK does), {@code checkpoint} (after the saved position; like {@code latest} when none is saved), or
 * an event id (that event and every later one still within the server's 10-minute replay window).
 *
 * @param kind which of the three
 * @param id for {@link Kind#ID}, the first id to deliver
 */
public record StartFrom(Kind kind, long id) {

	/** Only events that arrive from now on: the default. */
	public static final StartFrom LATEST = new StartFrom(Kind.LATEST, 0);

	/** After the checkpoint store's position, or as {@link #LATEST} when it has none. */
	public static final StartFrom CHECKPOINT = new StartFrom(Kind.CHECKPOINT, 0);

	/** The three ways to start. */
	public enum Kind {

		/** Only events that arrive from now on. */
		LATEST,

		/** After the checkpoint store's position, or as {@link #LATEST} when it has none. */
		CHECKPOINT,

		/** From a given id. */
		ID

	}

	/**
	 * Read {@code latest}, {@code checkpoint} or a positive id.
	 * @param value the text
	 * @return the start
	 * @throws IllegalArgumentException if it is none of those
	 */
	public static StartFrom parse(String value) {
		String text = value.trim().toLowerCase(Locale.ROOT);
		if (text.equals("latest")) {
			return LATEST;
		}
		if (text.equals("checkpoint")) {
			return CHECKPOINT;
		}
		try {
			long id = Long.parseLong(text);
			if (id > 0) {
				return new StartFrom(Kind.ID, id);
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("must be 'latest', 'checkpoint' or a positive event id, not '" + value + "'");
	}

}
