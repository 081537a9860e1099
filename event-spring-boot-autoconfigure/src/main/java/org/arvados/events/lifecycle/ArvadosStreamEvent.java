package org.arvados.events.lifecycle;

import org.springframework.context.ApplicationEvent;

/**
 * Base of the events the subscription publishes about itself; listen to this type for all of them.
 */
public abstract class ArvadosStreamEvent extends ApplicationEvent {

	/**
	 * A fact about the stream.
	 * @param source the subscription
	 */
	protected ArvadosStreamEvent(Object source) {
		super(source);
	}

}
