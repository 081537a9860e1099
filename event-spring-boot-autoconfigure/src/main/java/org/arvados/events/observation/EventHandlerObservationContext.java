package org.arvados.events.observation;

import io.micrometer.observation.Observation;
import org.arvados.events.ArvadosEvent;

/**
 * What one {@code @EventHandler} invocation is about: the event and the handler.
 */
public class EventHandlerObservationContext extends Observation.Context {

	private final ArvadosEvent event;

	private final String handler;

	/**
	 * @param event the event handed to the method
	 * @param handler the method, e.g. {@code com.example.Watcher.onUpdate}
	 */
	public EventHandlerObservationContext(ArvadosEvent event, String handler) {
		this.event = event;
		this.handler = handler;
	}

	public ArvadosEvent getEvent() {
		return this.event;
	}

	public String getHandler() {
		return this.handler;
	}

}
