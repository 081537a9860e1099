package org.arvados.events.subscription;

import java.util.List;

import org.arvados.events.filter.EventFilter;
import org.arvados.events.lifecycle.DisconnectReason;
import org.jspecify.annotations.Nullable;

/**
 * The WebSocket side of the stream as the {@link StreamMachine} drives it. The socket reader takes events in
 * without the machine (decodes, holds or queues them); the machine only hears what changes the connection's
 * life, as {@link Signals}, and says when to subscribe, when to let the held events go, and when to close.
 */
interface LiveFeed {

	/**
	 * Open a connection, unless one is open or being opened. Returns at once; the outcome arrives as a signal.
	 */
	void connect();

	/**
	 * Send the subscription, resuming after the current position: one message for each filter set.
	 * @param link the connection
	 */
	void subscribe(Link link);

	/**
	 * Subscribe to one more filter set on a connection that is subscribed already, unless it has that set.
	 * @param link the connection
	 * @param set the filters
	 * @param lastLogId the server replays what the set passes after this id
	 */
	void subscribe(Link link, List<EventFilter> set, long lastLogId);

	/**
	 * Unsubscribe from a filter set on a connection, if it has that set.
	 * @param link the connection
	 * @param set the filters, as subscribed
	 */
	void unsubscribe(Link link, List<EventFilter> set);

	/**
	 * Whether a connection is still the one to read from.
	 * @param link the connection
	 */
	boolean isCurrent(Link link);

	/**
	 * Whether the connection let go of held events since the last call (they must be read from the list again).
	 * @param link the connection
	 */
	boolean takeOverflow(Link link);

	/**
	 * Hand the held events to the handlers, in arrival order, and go live.
	 * @param link the connection
	 * @return {@code false} when events were let go meanwhile: catch up again, then release again
	 */
	boolean release(Link link);

	/**
	 * How long the current connection has been silent for reasons not ours, beyond the heartbeat timeout.
	 * @return a description for a log line, or {@code null} while it is not silent for too long
	 */
	@Nullable String silence();

	/**
	 * Close the current connection, if any; its signals are ignored from now on.
	 */
	void close();

	/** A connection, as far as the machine needs to tell one from another. */
	interface Link {

	}

	/** What the machine hears from the feed, on any thread. */
	interface Signals {

		/**
		 * A connection is open.
		 * @param link the connection
		 */
		void opened(Link link);

		/**
		 * The server confirmed the subscription; the connection's live events are held until released.
		 * @param link the connection
		 */
		void subscribed(Link link);

		/**
		 * The server answered the subscription with an error status: these filters will never work over a
		 * WebSocket.
		 * @param link the connection, still open
		 * @param reason for a log line
		 */
		void rejected(Link link, String reason);

		/**
		 * No connection: it could not be opened, or it closed.
		 * @param reason why, typed
		 * @param description for a log line, without the token
		 */
		void unavailable(DisconnectReason reason, String description);

	}

}
