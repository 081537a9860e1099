package org.arvados.events.lifecycle;

/**
 * How events reach the application.
 */
public enum TransportMode {

	/** Pushed by the cluster's WebSocket server. */
	WEBSOCKET,

	/** Pulled from the REST logs list every poll interval. */
	POLLING

}
