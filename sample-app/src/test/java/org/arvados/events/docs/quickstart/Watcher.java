package org.arvados.events.docs.quickstart;

// tag::quick-start[]
import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.arvados.events.annotation.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class Watcher {

	private static final Logger log = LoggerFactory.getLogger(Watcher.class);

	@EventHandler(eventTypes = "update", objectKinds = "arvados#containerRequest")
	void onUpdate(ArvadosEvent event) {
		// Anyone can name an object: LogSafe keeps a line break in it from starting a log line of its own.
		log.info("{} is now {}", LogSafe.forLog(event.objectUuid()), LogSafe.forLog(event.newAttributes().get("state")));
	}

	@EventHandler(condition = "#event.newAttributes()['state'] == 'Final'")
	void onFinal(ArvadosEvent event) {
		log.info("{} is final", LogSafe.forLog(event.objectUuid()));
	}

}
// end::quick-start[]
