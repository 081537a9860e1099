package org.arvados.events.lifecycle;

/**
 * The stream changed transport: it fell back to polling, or went back to the WebSocket. The hand-over loses
 * nothing and repeats nothing.
 */
public class TransportSwitchedEvent extends ArvadosStreamEvent {

	private final TransportMode from;

	private final TransportMode to;

	private final String reason;

	/**
	 * A change of transport.
	 * @param source the subscription
	 * @param from the transport before
	 * @param to the transport now
	 * @param reason why, for people
	 */
	public TransportSwitchedEvent(Object source, TransportMode from, TransportMode to, String reason) {
		super(source);
		this.from = from;
		this.to = to;
		this.reason = reason;
	}

	public TransportMode getFrom() {
		return this.from;
	}

	public TransportMode getTo() {
		return this.to;
	}

	public String getReason() {
		return this.reason;
	}

	@Override
	public String toString() {
		return "TransportSwitchedEvent[" + this.from + " -> " + this.to + ": " + this.reason + "]";
	}

}
