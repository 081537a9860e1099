package org.arvados.events.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.arvados.events.annotation.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Follows container requests and their containers through their states, and says when a request is done.
 */
@Component
class ContainerRequestWatcher {

	private static final Logger logger = LoggerFactory.getLogger(ContainerRequestWatcher.class);

	private final AtomicLong finished = new AtomicLong();

	@EventHandler(objectKinds = "arvados#containerRequest", eventTypes = { "create", "update" })
	void onChange(ArvadosEvent event) {
		logger.info("#{} container request {} is {}", event.id(), LogSafe.forLog(event.objectUuid()),
				LogSafe.forLog(event.newAttributes().get("state")));
	}

	@EventHandler(objectKinds = "arvados#container")
	void onContainer(ArvadosEvent event) {
		logger.info("#{} container {} is {}", event.id(), LogSafe.forLog(event.objectUuid()),
				LogSafe.forLog(event.newAttributes().get("state")));
	}

	@EventHandler(objectKinds = "arvados#containerRequest", condition = "#event.newAttributes()['state'] == 'Final'")
	void onFinal(ArvadosEvent event) {
		this.finished.incrementAndGet();
		logger.info("#{} container request {} reached Final", event.id(), LogSafe.forLog(event.objectUuid()));
	}

	long finished() {
		return this.finished.get();
	}

}
