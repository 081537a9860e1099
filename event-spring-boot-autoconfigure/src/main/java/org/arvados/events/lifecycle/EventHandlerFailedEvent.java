package org.arvados.events.lifecycle;

import org.arvados.events.ArvadosEvent;

/**
 * An {@code @EventHandler} method threw. Published after the
 * {@link org.arvados.events.dispatch.EventHandlerErrorHandler} had its say; the stream goes on.
 */
public class EventHandlerFailedEvent extends ArvadosStreamEvent {

	private final ArvadosEvent event;

	private final String handler;

	private final Throwable error;

	/**
	 * @param source the handler's listener
	 * @param event the event it failed on
	 * @param handler the handler, e.g. {@code com.example.Watcher.onUpdate}
	 * @param error what it threw
	 */
	public EventHandlerFailedEvent(Object source, ArvadosEvent event, String handler, Throwable error) {
		super(source);
		this.event = event;
		this.handler = handler;
		this.error = error;
	}

	public ArvadosEvent getEvent() {
		return this.event;
	}

	public String getHandler() {
		return this.handler;
	}

	public Throwable getError() {
		return this.error;
	}

	@Override
	public String toString() {
		return "EventHandlerFailedEvent[" + this.handler + " on " + this.event + ": " + this.error + "]";
	}

}
