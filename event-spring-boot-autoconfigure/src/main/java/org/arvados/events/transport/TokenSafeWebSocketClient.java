package org.arvados.events.transport;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.websocket.WebSocketContainer;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * Spring's {@link StandardWebSocketClient}, with a way to connect that does not log the URL. The Arvados server
 * reads the token only from the URL's query, and {@code AbstractWebSocketClient#execute} (final) logs
 * "Connecting to &lt;url&gt;" at DEBUG; {@link #connect} goes straight to the handshake instead.
 */
public class TokenSafeWebSocketClient extends StandardWebSocketClient {

	public TokenSafeWebSocketClient(WebSocketContainer container) {
		super(container);
	}

	/**
	 * Connect without logging the URL: no subprotocol, no extension, no extra header.
	 * @param handler receives the connection's events
	 * @param url the URL, token included
	 * @return the session once the handshake is done
	 */
	public CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, URI url) {
		assertUri(url);
		return executeInternal(handler, new HttpHeaders(), url, List.of(), List.of(), Map.of());
	}

}
