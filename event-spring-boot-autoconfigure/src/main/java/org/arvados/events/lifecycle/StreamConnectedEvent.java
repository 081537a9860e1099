package org.arvados.events.lifecycle;

/**
 * Events flow: a WebSocket caught up and went live, or a poll succeeded after none had. Published on each
 * change from not flowing to flowing.
 */
public class StreamConnectedEvent extends StreamPhaseChangedEvent {

	/**
	 * @param source the subscription
	 * @param from the phase before
	 * @param to the phase now, one where events flow
	 * @param mode the transport that carries the events
	 */
	public StreamConnectedEvent(Object source, StreamPhase from, StreamPhase to, TransportMode mode) {
		super(source, from, to, mode);
	}

}
