package org.arvados.events.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.arvados.events.ArvadosEvent;
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
		logger.info("#{} {} collection {} {}", event.id(), event.eventType(), event.objectUuid(),
				event.newAttributes());
	}

	long seen() {
		return this.seen.get();
	}

}
