package org.arvados.events.docs.handlers;

import java.time.Duration;
import java.util.List;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.pull.OverflowPolicy;
import org.arvados.events.pull.PullListener;

/**
 * A pull listener, every option shown.
 */
class PullListenerSnippet {

	private final ArvadosEventListeners listeners;

	PullListenerSnippet(ArvadosEventListeners listeners) {
		this.listeners = listeners;
	}

	void follow() throws InterruptedException {
		// tag::pull-listener[]
		try (PullListener outputs = listeners.select()
				.eventTypes("update")
				.objectKinds("arvados#collection")
				.objectUuids("zzzzz-4zz18-*")                         // * and ?, as in @EventHandler
				.where(e -> "Final".equals(e.newAttributes().get("state")))
				.capacity(1_000)                                      // default 1000
				.whenFull(OverflowPolicy.DROP_OLDEST)                 // or DROP_NEWEST
				.history(50)                                          // default 16
				.name("outputs")                                      // for log lines
				.open()) {
			ArvadosEvent next = outputs.poll(Duration.ofSeconds(30));   // null after the timeout
			ArvadosEvent blocking = outputs.take();                     // waits as long as it takes
			outputs.stream().limit(10).forEach(this::process);          // blocks for each; ends when closed
			List<ArvadosEvent> lastSeen = outputs.history();            // the last 50 selected, read or not
		}
		// end::pull-listener[]
	}

	private void process(ArvadosEvent event) {
	}

}
