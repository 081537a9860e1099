package org.arvados.events.subscription;

/**
 * Which transports a subscription may use ({@code arvados.events.transport}).
 */
public enum Transport {

	/** WebSocket, falling back to polling while the WebSocket is unavailable. */
	AUTO,

	/** WebSocket only; reconnect for as long as it takes. */
	WEBSOCKET,

	/** Polling the REST logs list only, as with {@code ARVADOS_DISABLE_WEBSOCKETS}. */
	POLLING

}
