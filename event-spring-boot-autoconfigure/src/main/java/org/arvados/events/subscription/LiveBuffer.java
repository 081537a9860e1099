package org.arvados.events.subscription;

import java.util.ArrayDeque;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

/**
 * Holds a new connection's live events while the catch-up through the logs list runs, so that the older events
 * the list gives reach the handlers first (an object's creation before its update), and then hands them over in
 * arrival order.
 * <p>
 * Bounded in events and in bytes of JSON: when full it lets go of everything it holds and takes nothing more until the next catch-up pass,
 * which finds those events in the list, because they were committed before the pass began.
 */
final class LiveBuffer {

	private final int capacity;

	private final long maxChars;

	private final ArrayDeque<ArvadosEvent> held = new ArrayDeque<>();

	private long heldChars;

	// Written under the lock, read without it on the socket reader's path: once live, for good.
	private volatile boolean live;

	private boolean overflowed;

	LiveBuffer(int capacity, long maxChars) {
		this.capacity = capacity;
		this.maxChars = maxChars;
	}

	/**
	 * Hold an event unless the buffer has gone live.
	 * @param event an event from the connection
	 * @return {@code false} when live: the caller delivers the event itself
	 */
	boolean hold(ArvadosEvent event) {
		return !this.live && holdUnlessLive(event);
	}

	private synchronized boolean holdUnlessLive(ArvadosEvent event) {
		if (this.live) {
			return false;
		}
		if (!this.overflowed) {
			if (this.held.size() < this.capacity && this.heldChars + event.json().length() <= this.maxChars) {
				this.held.add(event);
				this.heldChars += event.json().length();
			}
			else {
				this.held.clear();
				this.heldChars = 0;
				this.overflowed = true;
			}
		}
		return true;
	}

	/**
	 * Whether events were let go since the last call; takes events again from now on.
	 */
	synchronized boolean takeOverflow() {
		boolean overflow = this.overflowed;
		this.overflowed = false;
		return overflow;
	}

	/**
	 * The next held event; when none is left, the buffer goes live and events go straight to the caller of
	 * {@link #hold}, after the last one handed over here; unless it overflowed meanwhile (see
	 * {@link #takeOverflow}), for then it is not complete.
	 * @return the event, or {@code null} when none is left
	 */
	synchronized @Nullable ArvadosEvent next() {
		ArvadosEvent event = this.held.poll();
		if (event == null) {
			// Events let go while these were handed over are in the list: not live until it is read again.
			this.live = !this.overflowed;
		}
		else {
			this.heldChars -= event.json().length();
		}
		return event;
	}

	boolean isLive() {
		return this.live;
	}

}
