package org.arvados.events.lifecycle;

/**
 * The subscription started: it is about to connect or poll. Events follow once the stream is
 * {@link StreamConnectedEvent connected}.
 */
public class SubscriptionStartedEvent extends ArvadosStreamEvent {

	private final TransportMode mode;

	/**
	 * @param source the subscription
	 * @param mode the transport it starts with
	 */
	public SubscriptionStartedEvent(Object source, TransportMode mode) {
		super(source);
		this.mode = mode;
	}

	public TransportMode getMode() {
		return this.mode;
	}

	@Override
	public String toString() {
		return "SubscriptionStartedEvent[" + this.mode + "]";
	}

}
