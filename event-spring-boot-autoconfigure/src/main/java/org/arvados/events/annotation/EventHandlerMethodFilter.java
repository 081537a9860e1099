package org.arvados.events.annotation;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.filter.Wildcards;

/**
 * The attribute filters of one {@link EventHandler}: event types, object kinds and object UUID patterns.
 */
final class EventHandlerMethodFilter {

	private final Set<String> eventTypes;

	private final Set<String> objectKinds;

	private final List<Pattern> objectUuids;

	EventHandlerMethodFilter(EventHandler annotation) {
		this.eventTypes = Set.of(annotation.eventTypes());
		this.objectKinds = Set.of(annotation.objectKinds());
		this.objectUuids = Arrays.stream(annotation.objectUuids()).map((pattern) -> Wildcards.compile(pattern, '*', '?', 0)).toList();
	}

	boolean matches(ArvadosEvent event) {
		return (this.eventTypes.isEmpty() || this.eventTypes.contains(event.eventType()))
				&& (this.objectKinds.isEmpty() || this.objectKinds.contains(event.objectKind()))
				&& (this.objectUuids.isEmpty()
						|| this.objectUuids.stream().anyMatch((p) -> p.matcher(event.objectUuid()).matches()));
	}

}
