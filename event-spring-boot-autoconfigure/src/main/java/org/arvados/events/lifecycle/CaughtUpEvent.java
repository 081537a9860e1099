package org.arvados.events.lifecycle;

import java.time.Duration;

/**
 * The sentinel: a catch-up through the logs list reached the newest event. Published once after the first
 * catch-up of each start (the history of a {@code start-from} time, id or checkpoint; none to speak of for
 * {@code latest}), and again after any later catch-up that took longer than
 * {@code arvados.events.caught-up-threshold} (a long outage, a large backlog).
 * <p>
 * It goes through the handlers' queue, in order with the events: when a listener receives it, the handlers of
 * every event it counts have returned, and the events after it are live.
 */
public class CaughtUpEvent extends ArvadosStreamEvent {

	private final boolean initial;

	private final long afterId;

	private final long throughId;

	private final long events;

	private final Duration duration;

	private final TransportMode mode;

	/**
	 * @param source the subscription
	 * @param initial whether this is the first catch-up since the start
	 * @param afterId where the catch-up began: every event up to this id was handled before it
	 * @param throughId the highest id accepted when it ended
	 * @param events how many events it handed to the handlers (after the filters, without duplicates)
	 * @param duration how long it took, retries included
	 * @param mode the transport in use
	 */
	public CaughtUpEvent(Object source, boolean initial, long afterId, long throughId, long events, Duration duration,
			TransportMode mode) {
		super(source);
		this.initial = initial;
		this.afterId = afterId;
		this.throughId = throughId;
		this.events = events;
		this.duration = duration;
		this.mode = mode;
	}

	/** Whether this is the first catch-up since the start: the end of the history. */
	public boolean isInitial() {
		return this.initial;
	}

	/** Where the catch-up began: every event up to this id was handled before it (0: from the first). */
	public long getAfterId() {
		return this.afterId;
	}

	/** The highest id accepted when it ended. */
	public long getThroughId() {
		return this.throughId;
	}

	/** How many events the catch-up handed to the handlers: after the filters, without duplicates. */
	public long getEvents() {
		return this.events;
	}

	/** How long the catch-up took, from its first request (retries included) to the newest event. */
	public Duration getDuration() {
		return this.duration;
	}

	/** The transport in use. */
	public TransportMode getMode() {
		return this.mode;
	}

	@Override
	public String toString() {
		return "CaughtUpEvent[initial=" + this.initial + ", afterId=" + this.afterId + ", throughId=" + this.throughId
				+ ", events=" + this.events + ", duration=" + this.duration + ", mode=" + this.mode + "]";
	}

}
