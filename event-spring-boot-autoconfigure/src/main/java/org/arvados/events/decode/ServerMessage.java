package org.arvados.events.decode;

import org.arvados.events.ArvadosEvent;

/**
 * One message from the Arvados WebSocket server: an event, a status reply, or a keepalive.
 */
public sealed interface ServerMessage {

	/**
	 * {@code {"status":200}} or {@code {"status":400}}: the reply to a subscribe or unsubscribe.
	 * @param code the status code
	 */
	record Status(int code) implements ServerMessage {
	}

	/**
	 * {@code {}}: the keepalive the server sends every minute; it proves the connection is alive.
	 */
	record Keepalive() implements ServerMessage {
	}

	/**
	 * A log event.
	 * @param event the decoded event
	 */
	record Event(ArvadosEvent event) implements ServerMessage {
	}

}
