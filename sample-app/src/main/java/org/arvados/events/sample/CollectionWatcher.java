package org.arvados.events.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.arvados.events.annotation.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Logs every change to a collection.
 */
@Component
class CollectionWatcher {

	private static final Logger logger = LoggerFactory.getLogger(CollectionWatcher.class);

	private final AtomicLong seen = new AtomicLong();

	@EventHandler(objectKinds = "arvados#collection")
	void onCollection(ArvadosEvent event) {
		this.seen.incrementAndGet();
		// Types, UUIDs and names are anyone's strings: escaped, so that none starts a line of its own.
		logger.info("#{} {} collection {} {}", event.id(), LogSafe.forLog(event.eventType()),
				LogSafe.forLog(event.objectUuid()), LogSafe.forLog(event.newAttributes()));
	}

	long seen() {
		return this.seen.get();
	}

}
