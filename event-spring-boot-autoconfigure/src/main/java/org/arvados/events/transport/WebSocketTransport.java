package org.arvados.events.transport;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * Opens WebSocket connections to the Arvados event server: {@code <websocketUrl>?api_token=<token>}, no
 * subprotocol and no extensions (the server negotiates none).
 */
public final class WebSocketTransport {

	private final WebSocketClient client;

	private final int maxMessageSize;

	public WebSocketTransport(WebSocketClient client, int maxMessageSize) {
		this.client = client;
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Connect. The listener hears {@code onOpen} before the returned future completes.
	 * @param websocketUrl the server's URL, without the token
	 * @param token the API token, sent as the {@code api_token} query parameter as the server requires
	 * @param listener receives the connection's messages
	 * @return the session once the handshake is done; fails if it cannot be done
	 */
	public CompletableFuture<WebSocketSession> connect(URI websocketUrl, String token, TransportListener listener) {
		WebSocketConnection connection = new WebSocketConnection(listener, this.maxMessageSize,
				websocketUrl.toString());
		URI url = withToken(websocketUrl, token);
		if (this.client instanceof TokenSafeConnect tokenSafe) {
			return tokenSafe.connect(connection, url);
		}
		// An application's own client may log the URL (Spring's do at DEBUG); the README says so.
		return this.client.execute(connection, new WebSocketHttpHeaders(), url);
	}

	static URI withToken(URI url, String token) {
		String separator = (url.getRawQuery() == null) ? "?" : "&";
		return URI.create(url + separator + "api_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
	}

}
