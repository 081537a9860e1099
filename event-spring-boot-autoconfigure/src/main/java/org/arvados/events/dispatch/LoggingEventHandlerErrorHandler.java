package org.arvados.events.dispatch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;

/**
 * The default {@link EventHandlerErrorHandler}: logs the event id, type and handler with the stack trace,
 * and lets the stream go on.
 */
public class LoggingEventHandlerErrorHandler implements EventHandlerErrorHandler {

	private static final Log logger = LogFactory.getLog(LoggingEventHandlerErrorHandler.class);

	@Override
	public void handleError(ArvadosEvent event, String handler, Throwable error) {
		logger.error("Handler " + handler + " failed on Arvados event " + event.id() + " (" + event.eventType() + " "
				+ event.objectUuid() + "); going on with the next event", error);
	}

}
