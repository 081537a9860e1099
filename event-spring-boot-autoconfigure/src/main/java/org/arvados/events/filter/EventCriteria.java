package org.arvados.events.filter;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.arvados.events.ArvadosEvent;

/**
 * Event types, object kinds and object UUID patterns ({@code *} any run of characters, {@code ?} one), as
 * {@code @EventHandler}'s attributes and pull listeners select: an event must match every criterion given, and one
 * of its values; an empty criterion matches every event. Matched on the client, after the server's filters.
 */
public final class EventCriteria {

	private final Set<String> eventTypes;

	private final Set<String> objectKinds;

	private final List<String> objectUuidPatterns;

	private final List<Pattern> objectUuids;

	/**
	 * @param eventTypes event types, e.g. {@code update}
	 * @param objectKinds object kinds, e.g. {@code arvados#collection}
	 * @param objectUuidPatterns object UUID patterns, e.g. {@code zzzzz-4zz18-*}
	 */
	public EventCriteria(Collection<String> eventTypes, Collection<String> objectKinds,
			Collection<String> objectUuidPatterns) {
		this.eventTypes = Set.copyOf(eventTypes);
		this.objectKinds = Set.copyOf(objectKinds);
		this.objectUuidPatterns = List.copyOf(objectUuidPatterns);
		this.objectUuids = this.objectUuidPatterns.stream()
			.map((pattern) -> Wildcards.compile(pattern, '*', '?', 0))
			.toList();
	}

	/**
	 * Whether an event matches every criterion.
	 * @param event the event
	 * @return whether it matches
	 */
	// A loop, not a stream: this runs for every event and every handler or listener on the dispatching thread.
	public boolean matches(ArvadosEvent event) {
		if (!this.eventTypes.isEmpty() && !this.eventTypes.contains(event.eventType())) {
			return false;
		}
		if (!this.objectKinds.isEmpty() && !this.objectKinds.contains(event.objectKind())) {
			return false;
		}
		return this.objectUuids.isEmpty() || matchesAnyUuid(event.objectUuid());
	}

	private boolean matchesAnyUuid(String uuid) {
		for (Pattern pattern : this.objectUuids) {
			if (pattern.matcher(uuid).matches()) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "eventTypes=" + this.eventTypes + ", objectKinds=" + this.objectKinds + ", objectUuids="
				+ this.objectUuidPatterns;
	}

}
