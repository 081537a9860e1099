package org.arvados.events.observation;

import io.micrometer.observation.Observation;
import org.arvados.events.ArvadosEvent;

/**
 * What one {@code @EventHandler} invocation is about: the event and the handler.
 */
public class EventHandlerObservationContext extends Observation.Context {

	private final ArvadosEvent event;

	private final String handler;

	private final int attempt;

	/**
	 * @param event the event handed to the method
	 * @param handler the method, e.g. {@code com.example.Watcher.onUpdate}
	 */
	public EventHandlerObservationContext(ArvadosEvent event, String handler) {
		this(event, handler, 1);
	}

	/**
	 * @param event the event handed to the method
	 * @param handler the method, e.g. {@code com.example.Watcher.onUpdate}
	 * @param attempt 1 for the first call with this event, 2 for its first retry, and so on
	 */
	public EventHandlerObservationContext(ArvadosEvent event, String handler, int attempt) {
		this.event = event;
		this.handler = handler;
		this.attempt = attempt;
	}

	public ArvadosEvent getEvent() {
		return this.event;
	}

	public String getHandler() {
		return this.handler;
	}

	/**
	 * Which call of the handler with this event this is: 1 for the first, 2 for the first retry, and so on.
	 */
	public int getAttempt() {
		return this.attempt;
	}

}
