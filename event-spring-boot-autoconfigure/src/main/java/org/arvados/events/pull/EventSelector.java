package org.arvados.events.pull;

import java.util.function.Predicate;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.filter.EventCriteria;

/**
 * Which events a pull listener takes: those that match its criteria, as
 * {@link org.arvados.events.annotation.EventHandler @EventHandler}'s attributes do, and its predicate.
 */
final class EventSelector implements Predicate<ArvadosEvent> {

	private final EventCriteria criteria;

	private final Predicate<ArvadosEvent> where;

	EventSelector(EventCriteria criteria, Predicate<ArvadosEvent> where) {
		this.criteria = criteria;
		this.where = where;
	}

	@Override
	public boolean test(ArvadosEvent event) {
		return this.criteria.matches(event) && this.where.test(event);
	}

	@Override
	public String toString() {
		return this.criteria.toString();
	}

}
