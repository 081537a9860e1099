package org.arvados.events.docs.handlers;

import org.arvados.events.lifecycle.CaughtUpEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;

/**
 * The sentinel between the history and the live events.
 */
class CaughtUpListener {

	private static final Logger log = LoggerFactory.getLogger(CaughtUpListener.class);

	// tag::caught-up[]
	@EventListener
	void caughtUp(CaughtUpEvent event) {
		log.info("History done: {} events up to id {}", event.getEvents(), event.getThroughId());
	}
	// end::caught-up[]

}
