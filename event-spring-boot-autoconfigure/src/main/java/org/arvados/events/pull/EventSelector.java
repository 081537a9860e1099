package org.arvados.events.pull;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.filter.Wildcards;

/**
 * Which events a pull listener takes: all that match every criterion given (an empty one matches all), as
 * {@link org.arvados.events.annotation.EventHandler @EventHandler}'s attributes do.
 */
final class EventSelector implements Predicate<ArvadosEvent> {

	private final Set<String> eventTypes;

	private final Set<String> objectKinds;

	private final List<Pattern> objectUuids;

	private final List<String> objectUuidPatterns;

	private final Predicate<ArvadosEvent> where;

	EventSelector(Set<String> eventTypes, Set<String> objectKinds, List<String> objectUuidPatterns,
			Predicate<ArvadosEvent> where) {
		this.eventTypes = Set.copyOf(eventTypes);
		this.objectKinds = Set.copyOf(objectKinds);
		this.objectUuidPatterns = List.copyOf(objectUuidPatterns);
		this.objectUuids = objectUuidPatterns.stream().map((pattern) -> Wildcards.compile(pattern, '*', '?', 0)).toList();
		this.where = where;
	}

	// A loop, not a stream: this runs for every event and every listener on the dispatching thread.
	@Override
	public boolean test(ArvadosEvent event) {
		if (!this.eventTypes.isEmpty() && !this.eventTypes.contains(event.eventType())) {
			return false;
		}
		if (!this.objectKinds.isEmpty() && !this.objectKinds.contains(event.objectKind())) {
			return false;
		}
		if (!this.objectUuids.isEmpty() && !matchesAnyUuid(event.objectUuid())) {
			return false;
		}
		return this.where.test(event);
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
