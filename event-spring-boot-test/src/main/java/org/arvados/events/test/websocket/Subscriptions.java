package org.arvados.events.test.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.arvados.events.test.LogEntry;
import org.jspecify.annotations.Nullable;

/**
 * A connection's subscriptions, changed and matched under one lock together with the frames that depend on them.
 * A subscription is in place before its {@code {"status":200}} is queued, and a live event is queued either before
 * that reply or after it and matched: a client that has the reply misses no event committed after it, and never
 * gets one of its events before it, as from arvados-ws.
 */
final class Subscriptions {

	private final List<Subscription> subscriptions = new ArrayList<>();

	/**
	 * Adds a subscription, then queues its reply.
	 * @return what {@code reply} returned: false if the queue was full
	 */
	synchronized boolean add(Subscription subscription, BooleanSupplier reply) {
		this.subscriptions.add(subscription);
		return reply.getAsBoolean();
	}

	/** Removes the first subscription with these filters; false if there is none. */
	synchronized boolean remove(@Nullable List<List<@Nullable Object>> filters) {
		for (Subscription subscription : this.subscriptions) {
			if (subscription.hasFilters(filters)) {
				return this.subscriptions.remove(subscription);
			}
		}
		return false;
	}

	/**
	 * Queues a live event if any subscription wants it.
	 * @return false if it was wanted and {@code queue} returned false (the queue was full)
	 */
	synchronized boolean offerIfMatching(LogEntry entry, BooleanSupplier queue) {
		for (Subscription subscription : this.subscriptions) {
			if (subscription.matches(entry)) {
				return queue.getAsBoolean();
			}
		}
		return true;
	}

}
