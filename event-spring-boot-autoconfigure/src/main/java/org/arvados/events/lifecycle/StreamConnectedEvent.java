package org.arvados.events.lifecycle;

/**
 * Events flow: a WebSocket caught up and went live, or a poll succeeded after none had. Published on each
 * change from not flowing to flowing.
 */
public class StreamConnectedEvent extends ArvadosStreamEvent {

	private final TransportMode mode;

	/**
	 * @param source the subscription
	 * @param mode the transport that carries the events
	 */
	public StreamConnectedEvent(Object source, TransportMode mode) {
		super(source);
		this.mode = mode;
	}

	public TransportMode getMode() {
		return this.mode;
	}

	@Override
	public String toString() {
		return "StreamConnectedEvent[" + this.mode + "]";
	}

}
