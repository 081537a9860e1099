package org.arvados.events.observation;

import java.util.Set;

/**
 * The value of the {@code event.type} tag. Any Arvados user can create logs with an event type of their own, so
 * only the types Arvados itself writes pass as they are; any other is {@code other}, and an empty one
 * {@code none}: a stream of made-up types cannot create a meter each.
 */
public final class EventTypeTag {

	/**
	 * The event types Arvados writes: the audit log's {@code create}, {@code update} and {@code delete}, and the
	 * container log lines of crunch-run and the dispatchers.
	 */
	public static final Set<String> KNOWN = Set.of("create", "update", "delete", "stdout", "stderr", "crunch-run",
			"crunchstat", "hoststat", "node-info", "arv-mount", "dispatch", "container", "keepstore");

	/** The tag value of every event type not in {@link #KNOWN}. */
	public static final String OTHER = "other";

	/** The tag value of an empty event type. */
	public static final String NONE = "none";

	private EventTypeTag() {
	}

	/**
	 * The tag value for an event type.
	 * @param eventType the event's type
	 * @return the type when Arvados writes it, else {@code other}; {@code none} when empty
	 */
	public static String of(String eventType) {
		if (eventType.isEmpty()) {
			return NONE;
		}
		return KNOWN.contains(eventType) ? eventType : OTHER;
	}

}
