package org.arvados.events.lifecycle;

/**
 * Events stopped flowing (the connection closed or fell silent, a poll failed, the transport is being switched),
 * or still do not flow but for a new reason (a token rejected while reconnecting). Unless the reason
 * {@link DisconnectReason#needsAttention() needs attention}, the subscription is already trying again; nothing is
 * lost meanwhile.
 */
public class StreamDisconnectedEvent extends StreamPhaseChangedEvent {

	private final DisconnectReason reason;

	private final String cause;

	/**
	 * @param source the subscription
	 * @param from the phase before
	 * @param to the phase now
	 * @param mode the transport that stopped
	 * @param reason why, typed
	 * @param cause why, for people; never the token
	 */
	public StreamDisconnectedEvent(Object source, StreamPhase from, StreamPhase to, TransportMode mode,
			DisconnectReason reason, String cause) {
		super(source, from, to, mode);
		this.reason = reason;
		this.cause = cause;
	}

	@Override
	public DisconnectReason getReason() {
		return this.reason;
	}

	public String getCause() {
		return this.cause;
	}

	@Override
	public String toString() {
		return "StreamDisconnectedEvent[" + getMode() + ", " + this.reason + ": " + this.cause + "]";
	}

}
