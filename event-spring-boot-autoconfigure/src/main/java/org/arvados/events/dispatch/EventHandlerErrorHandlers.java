package org.arvados.events.dispatch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.lifecycle.EventHandlerFailedEvent;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Calls an {@link EventHandlerErrorHandler} so that its own failure cannot stop the stream or the other
 * handlers: what it throws, an {@link Error} included, is logged.
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
		catch (Throwable ex) {
			logger.error("EventHandlerErrorHandler failed on Arvados event " + event.id() + " from " + handler
					+ "; going on", ex);
		}
	}

	/**
	 * Publish that a handler failed; a listener of that which throws is logged, not thrown.
	 * @param publisher the publisher
	 * @param failed the event to publish
	 */
	public static void publishSafely(ApplicationEventPublisher publisher, EventHandlerFailedEvent failed) {
		try {
			publisher.publishEvent(failed);
		}
		catch (Throwable ex) {
			logger.error("A listener of EventHandlerFailedEvent failed on Arvados event " + failed.getEvent().id()
					+ "; going on", ex);
		}
	}

}
