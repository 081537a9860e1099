package org.arvados.events.transport;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;

/**
 * A {@link org.springframework.web.socket.client.WebSocketClient WebSocketClient} that can connect without logging
 * the URL. The Arvados server reads the token only from the URL's query, and
 * {@code AbstractWebSocketClient#execute} (final) logs "Connecting to &lt;url&gt;" at DEBUG.
 */
public interface TokenSafeConnect {

	/**
	 * Connect without logging the URL: no subprotocol, no extension, no extra header.
	 * @param handler receives the connection's events
	 * @param url the URL, token included
	 * @return the session once the handshake is done
	 */
	CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, URI url);

}
