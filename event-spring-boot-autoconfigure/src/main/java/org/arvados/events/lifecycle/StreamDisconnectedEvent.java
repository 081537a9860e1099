package org.arvados.events.lifecycle;

/**
 * Events stopped flowing: the connection closed or fell silent, a poll failed, or the transport is being
 * switched. The subscription is already trying again; nothing is lost meanwhile.
 */
public class StreamDisconnectedEvent extends ArvadosStreamEvent {

	private final TransportMode mode;

	private final String cause;

	/**
	 * @param source the subscription
	 * @param mode the transport that stopped
	 * @param cause why, for people; never the token
	 */
	public StreamDisconnectedEvent(Object source, TransportMode mode, String cause) {
		super(source);
		this.mode = mode;
		this.cause = cause;
	}

	public TransportMode getMode() {
		return this.mode;
	}

	public String getCause() {
		return this.cause;
	}

	@Override
	public String toString() {
		return "StreamDisconnectedEvent[" + this.mode + ": " + this.cause + "]";
	}

}
