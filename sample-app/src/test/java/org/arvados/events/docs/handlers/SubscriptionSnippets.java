package org.arvados.events.docs.handlers;

import java.util.List;

import org.arvados.events.filter.EventFilter;
import org.arvados.events.subscription.ArvadosEventSubscription;

/**
 * Pausing, and following more filter sets (and fewer) while the subscription runs.
 */
class SubscriptionSnippets {

	private final ArvadosEventSubscription subscription;

	SubscriptionSnippets(ArvadosEventSubscription subscription) {
		this.subscription = subscription;
	}

	void pause() {
		// tag::pausing[]
		subscription.pause();     // e.g. while a downstream system is under maintenance
		// ...
		subscription.resume();
		// end::pausing[]
	}

	void subscribe() {
		// tag::subscribing[]
		List<EventFilter> updates = List.of(new EventFilter("event_type", "in", List.of("update")));
		List<EventFilter> containers = List.of(EventFilter.of("object_uuid", "is_a", "arvados#container"));
		subscription.subscribe(updates);             // after the highest id seen so far
		subscription.subscribe(containers, 123456);  // and first every matching event after id 123456
		subscription.unsubscribe(updates);
		subscription.filterSets();                   // the sets followed now
		// end::subscribing[]
	}

}
