package org.arvados.events.transport;

import java.net.URI;

/**
 * The cluster's discovery document has no usable {@code websocketUrl}: the cluster runs no WebSocket server, so only
 * polling can follow it (unless {@code arvados.events.websocket.url} names one).
 */
public class WebSocketNotAdvertisedException extends IllegalStateException {

	public WebSocketNotAdvertisedException(URI endpoint) {
		this("The cluster at " + endpoint + " does not advertise a websocketUrl; set arvados.events.websocket.url "
				+ "if it has a WebSocket server");
	}

	/**
	 * The cluster's WebSocket cannot be used, for the reason given.
	 * @param message why, without the token
	 */
	public WebSocketNotAdvertisedException(String message) {
		super(message);
	}

}
