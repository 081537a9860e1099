package org.arvados.events.lifecycle;

import org.jspecify.annotations.Nullable;

/**
 * The stream moved from one {@link StreamPhase} to another. Every change publishes one event of this type: a
 * {@link StreamConnectedEvent} when events start flowing, a {@link StreamDisconnectedEvent} when they stop or
 * fail for a new reason, this type itself for the steps between.
 */
public class StreamPhaseChangedEvent extends ArvadosStreamEvent {

	private final StreamPhase from;

	private final StreamPhase to;

	private final TransportMode mode;

	/**
	 * @param source the subscription
	 * @param from the phase before
	 * @param to the phase now
	 * @param mode the transport in use or being tried
	 */
	public StreamPhaseChangedEvent(Object source, StreamPhase from, StreamPhase to, TransportMode mode) {
		super(source);
		this.from = from;
		this.to = to;
		this.mode = mode;
	}

	public StreamPhase getFrom() {
		return this.from;
	}

	public StreamPhase getTo() {
		return this.to;
	}

	public TransportMode getMode() {
		return this.mode;
	}

	/** Why, when the change is a failure. */
	public @Nullable DisconnectReason getReason() {
		return null;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.from + " -> " + this.to + ", " + this.mode + "]";
	}

}
