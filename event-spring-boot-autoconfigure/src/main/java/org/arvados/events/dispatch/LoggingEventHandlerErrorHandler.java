package org.arvados.events.dispatch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;

/**
 * The default {@link EventHandlerErrorHandler}: logs the event id, type and handler with the stack trace,
 * and lets the stream go on. The event's type and UUID are escaped ({@link LogSafe}), so they cannot forge a line.
 */
public class LoggingEventHandlerErrorHandler implements EventHandlerErrorHandler {

	private static final Log logger = LogFactory.getLog(LoggingEventHandlerErrorHandler.class);

	@Override
	public void handleError(ArvadosEvent event, String handler, Throwable error) {
		logger.error("Handler " + handler + " failed on Arvados event " + event.id() + " ("
				+ LogSafe.forLog(event.eventType()) + " " + LogSafe.forLog(event.objectUuid())
				+ "); going on with the next event", error);
	}

}
