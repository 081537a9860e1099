package org.arvados.events.dispatch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;

/**
 * Calls an {@link EventHandlerErrorHandler} so that its own failure cannot stop the stream or the other
 * handlers: what it throws is logged.
 */
public final class EventHandlerErrorHandlers {

	private static final Log logger = LogFactory.getLog(EventHandlerErrorHandlers.class);

	private EventHandlerErrorHandlers() {
	}

	/**
	 * Hand a handler's failure to the error handler, logging what the error handler throws.
	 * @param errorHandler the error handler
	 * @param event the event the handler failed on
	 * @param handler the handler, e.g. {@code com.example.Watcher.onUpdate}
	 * @param error what it threw
	 */
	public static void handleSafely(EventHandlerErrorHandler errorHandler, ArvadosEvent event, String handler,
			Throwable error) {
		try {
			errorHandler.handleError(event, handler, error);
		}
		catch (RuntimeException ex) {
			logger.error("EventHandlerErrorHandler failed on Arvados event " + event.id() + " from " + handler
					+ "; going on", ex);
		}
	}

}
