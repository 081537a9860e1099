package org.arvados.events.dispatch;

import org.arvados.events.ArvadosEvent;

/**
 * Decides what happens when an event handler throws. The stream goes on after it returns, and the event
 * counts as handled. Declare a bean of this type to replace the default, which logs.
 */
@FunctionalInterface
public interface EventHandlerErrorHandler {

	/**
	 * Handle the failure of one handler on one event.
	 * @param event the event the handler failed on
	 * @param handler the handler, e.g. {@code com.example.Watcher.onUpdate}
	 * @param error what it threw
	 */
	void handleError(ArvadosEvent event, String handler, Throwable error);

}
