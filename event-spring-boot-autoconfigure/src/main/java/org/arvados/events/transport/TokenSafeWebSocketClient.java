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
 * Spring's {@link StandardWebSocketClient}, with a way to connect that does not log the URL: {@link #connect} goes
 * straight to the handshake. A handshake answered with a redirect fails with a {@link HandshakeRedirectException}
 * when the container follows none (Tomcat's {@code org.apache.tomcat.websocket.MAX_REDIRECTIONS} user property
 * at 0, as the auto-configuration sets it).
 */
public class TokenSafeWebSocketClient extends StandardWebSocketClient implements TokenSafeConnect {

	public TokenSafeWebSocketClient(WebSocketContainer container) {
		super(container);
	}

	@Override
	public CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, URI url) {
		assertUri(url);
		return executeInternal(handler, new HttpHeaders(), url, List.of(), List.of(), Map.of())
			.exceptionallyCompose((failure) -> {
				HandshakeRedirectException redirect = HandshakeRedirectException.fromTomcat(failure);
				return CompletableFuture.failedFuture((redirect != null) ? redirect : failure);
			});
	}

}
