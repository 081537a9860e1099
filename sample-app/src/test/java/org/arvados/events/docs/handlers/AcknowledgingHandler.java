package org.arvados.events.docs.handlers;

import java.util.concurrent.ExecutorService;

import org.arvados.events.Acknowledgment;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;

/**
 * A handler whose work goes on after it returns: the position waits for the acknowledgment.
 */
class AcknowledgingHandler {

	private final ExecutorService uploads;

	AcknowledgingHandler(ExecutorService uploads) {
		this.uploads = uploads;
	}

	// tag::acknowledging[]
	@EventHandler(objectKinds = "arvados#collection")
	void on(ArvadosEvent event, Acknowledgment ack) {
		uploads.submit(() -> {
			copy(event);
			ack.acknowledge();     // once; calling it again does nothing
		});
	}
	// end::acknowledging[]

	private void copy(ArvadosEvent event) {
	}

}
