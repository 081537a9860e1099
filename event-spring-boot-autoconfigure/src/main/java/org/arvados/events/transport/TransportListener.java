package org.arvados.events.transport;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * Receives what happens on one {@link WebSocketConnection}. Called on the socket's reader thread: a method
 * that blocks holds back reading, which is how back-pressure reaches the server.
 */
public interface TransportListener {

	/**
	 * The connection is open and ready to send.
	 * @param connection the connection
	 */
	void onOpen(WebSocketConnection connection);

	/**
	 * One whole text message arrived.
	 * @param connection the connection
	 * @param text the message
	 * @param utf8 the UTF-8 that {@code text} was decoded from, when the client kept it (so that the decoder need
	 * not encode the text again), else {@code null}
	 */
	void onMessage(WebSocketConnection connection, String text, byte @Nullable [] utf8);

	/**
	 * The connection is closed or broken; it will not deliver anything more.
	 * @param connection the connection
	 * @param reason what happened, free of secrets
	 */
	void onClose(WebSocketConnection connection, String reason);

	/**
	 * Text for a close status: the server closes with 1000 for every reason, and a connection that breaks
	 * without a close frame shows 1006.
	 * @param status the status
	 * @return a description
	 */
	static String describe(CloseStatus status) {
		return "closed with " + status.getCode()
				+ ((status.getReason() != null && !status.getReason().isEmpty()) ? " (" + status.getReason() + ")" : "");
	}

}
