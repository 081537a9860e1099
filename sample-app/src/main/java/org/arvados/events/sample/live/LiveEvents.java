package org.arvados.events.sample.live;

import java.util.ArrayList;
import java.util.List;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.pull.OverflowPolicy;
import org.arvados.events.pull.PullListener;
import org.arvados.events.pull.PullListenerClosedException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The events for the live page: one pull listener, whatever the number of browsers, so that the dispatching thread
 * offers each event once and goes on; a thread of its own moves them into a ring of the last
 * {@code sample.live.capacity}, numbered, which each browser's sender reads at its own pace without taking anything
 * away. A browser that falls more than the ring behind misses the oldest, and is told how many. The same thread
 * counts them in {@link EventRates} for the page's chart.
 */
@Component
@ConditionalOnProperty(name = "sample.live.enabled", matchIfMissing = true)
class LiveEvents implements SmartLifecycle {

	private final ArvadosEventListeners listeners;

	private final ArvadosEvent[] ring;

	private final EventRates rates;

	// Guarded by this, as the ring: the number of the latest event, 0 before any.
	private long last;

	private volatile @Nullable PullListener handOff;

	LiveEvents(ArvadosEventListeners listeners, EventRates rates,
			@Value("${sample.live.capacity:100}") int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("sample.live.capacity must be at least 1, not " + capacity);
		}
		this.listeners = listeners;
		this.rates = rates;
		this.ring = new ArvadosEvent[capacity];
	}

	/** The number of the latest event, 0 before any: a new browser reads from there. */
	synchronized long last() {
		return this.last;
	}

	/** The events numbered above {@code seen} still in the ring, and how many of them left it unread. */
	synchronized Batch since(long seen) {
		long first = Math.max(seen + 1, this.last - this.ring.length + 1);
		List<ArvadosEvent> events = new ArrayList<>((int) Math.max(0, this.last - first + 1));
		for (long number = first; number <= this.last; number++) {
			events.add(this.ring[slot(number)]);
		}
		return new Batch(events, first - seen - 1, this.last);
	}

	/** The event of this id, while it is in the ring. */
	synchronized @Nullable ArvadosEvent find(long id) {
		for (long number = this.last; number > Math.max(0, this.last - this.ring.length); number--) {
			ArvadosEvent event = this.ring[slot(number)];
			if (event.id() == id) {
				return event;
			}
		}
		return null;
	}

	/** How many of the events numbered above {@code seen} have left the ring. */
	synchronized long gone(long seen) {
		return Math.max(0, this.last - this.ring.length - seen);
	}

	/**
	 * How many events the one pull listener dropped: every browser missed them alike. Hardly any, since its reader
	 * waits for nothing but the ring's lock.
	 */
	long handOffDropped() {
		PullListener events = this.handOff;
		return (events != null) ? events.dropped() : 0;
	}

	private synchronized void add(ArvadosEvent event) {
		this.ring[slot(++this.last)] = event;
	}

	private int slot(long number) {
		return (int) (number % this.ring.length);
	}

	@Override
	public void start() {
		PullListener events = this.listeners.select()
			.capacity(this.ring.length)
			.whenFull(OverflowPolicy.DROP_OLDEST)
			.history(0)
			.name("live-page")
			.open();
		this.handOff = events;
		Thread feed = new Thread(() -> feed(events), "live-page-feed");
		feed.setDaemon(true);
		feed.start();
	}

	private void feed(PullListener events) {
		try {
			while (true) {
				ArvadosEvent event = events.take();
				add(event);
				this.rates.add(event.eventType());
			}
		}
		catch (PullListenerClosedException ex) {
			// Stopped.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop() {
		PullListener events = this.handOff;
		if (events != null) {
			// Wakes the feed, which ends. The listener stays, for its count of dropped events.
			events.close();
		}
	}

	@Override
	public boolean isRunning() {
		PullListener events = this.handOff;
		return events != null && !events.isClosed();
	}

	/**
	 * What a browser's sender reads at a tick.
	 *
	 * @param events the events it has not seen that are still in the ring, oldest first
	 * @param missed how many it has not seen that left the ring before it read them
	 * @param last the number of the latest event: what it has seen now
	 */
	record Batch(List<ArvadosEvent> events, long missed, long last) {
	}

}
