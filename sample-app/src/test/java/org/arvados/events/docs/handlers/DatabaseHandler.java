package org.arvados.events.docs.handlers;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A handler that writes each event to a database, with {@code handler-retry.exhausted: hold}: while the database
 * restarts, the event is retried, then held, and nothing is lost.
 */
class DatabaseHandler {

	private final JdbcClient jdbc;

	DatabaseHandler(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	// tag::database-hold[]
	@EventHandler(objectKinds = "arvados#collection")
	void on(ArvadosEvent event) {
		jdbc.sql("INSERT INTO collection_changes (event_id, uuid, type) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
			.params(event.id(), event.objectUuid(), event.eventType())
			.update();       // throws while the database is down: retried, then held until it is back
	}
	// end::database-hold[]

}
