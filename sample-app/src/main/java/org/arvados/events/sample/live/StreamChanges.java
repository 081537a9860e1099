package org.arvados.events.sample.live;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamPhaseChangedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The stream's phase changes since the application started, numbered, the last {@value #KEPT}: a page that
 * connects late is sent them all first, then reads the new ones at its own pace. The subscription publishes them on
 * its own thread, so the listener only records: writing to a browser from there would let a slow one hold up the
 * stream.
 */
// Listening from the start needs nothing more: @EventListener methods are registered once the singletons exist,
// before any SmartLifecycle (the subscription) starts and publishes its first change.
@Component
@ConditionalOnProperty(name = "sample.live.enabled", matchIfMissing = true)
class StreamChanges {

	static final int KEPT = 100;

	private final Deque<Change> recent = new ArrayDeque<>();

	private long last;

	@EventListener
	synchronized void onPhaseChanged(StreamPhaseChangedEvent event) {
		String cause = (event instanceof StreamDisconnectedEvent disconnected) ? disconnected.getCause() : null;
		this.recent.addLast(new Change(++this.last, event.getTo(), event.getMode(), event.getReason(), cause,
				Instant.ofEpochMilli(event.getTimestamp())));
		if (this.recent.size() > KEPT) {
			this.recent.removeFirst();
		}
	}

	/** The changes numbered above {@code seen}, oldest first; at most the last {@value #KEPT}. */
	synchronized List<Change> since(long seen) {
		return this.recent.stream().filter((change) -> change.number() > seen).toList();
	}

	/** Every change kept, oldest first, and how many earlier ones were let go, taken together. */
	synchronized History history() {
		return new History(List.copyOf(this.recent), this.last - this.recent.size());
	}

	/**
	 * The changes since the start, as far as they are kept.
	 *
	 * @param changes the last {@value #KEPT} at most, oldest first; the last is the latest change
	 * @param forgotten how many came before the first of them and are no longer kept
	 */
	record History(List<Change> changes, long forgotten) {

		/** The number of the latest change, 0 before any. */
		long last() {
			return this.changes.isEmpty() ? this.forgotten : this.changes.get(this.changes.size() - 1).number();
		}

	}

	/**
	 * One change of phase.
	 *
	 * @param number its place in the sequence, from 1
	 * @param phase the phase entered
	 * @param mode the transport in use or being tried
	 * @param reason why, when the change is a failure
	 * @param cause why, in words, when the change is a failure
	 * @param at when
	 */
	record Change(long number, StreamPhase phase, TransportMode mode, @Nullable DisconnectReason reason,
			@Nullable String cause, Instant at) {
	}

}
