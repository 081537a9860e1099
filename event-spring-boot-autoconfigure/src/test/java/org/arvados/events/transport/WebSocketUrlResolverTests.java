package org.arvados.events.transport;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The WebSocket URL carries the token in its query: it must not travel unencrypted from an https cluster.
 */
class WebSocketUrlResolverTests {

	private static final URI HTTPS = URI.create("https://zzzzz.example.org");

	@Test
	void aPlainWebSocketUnderAnHttpsApiIsRefused() {
		WebSocketUrlResolver resolver = new WebSocketUrlResolver(HTTPS, URI.create("ws://ws.zzzzz.example.org/websocket"),
				false, RestClient.create());
		assertThatExceptionOfType(WebSocketNotAdvertisedException.class).isThrownBy(resolver::resolve)
			.withMessageContaining("plain ws:// under an https:// API")
			.withMessageContaining("arvados.events.websocket.url");
	}

	@Test
	void aPlainWebSocketToAnotherHostThanLoopbackIsRefusedUnderAPlainApiToo() {
		WebSocketUrlResolver resolver = new WebSocketUrlResolver(URI.create("http://127.0.0.1:8"),
				URI.create("ws://ws.zzzzz.example.org/websocket"), false, RestClient.create());
		assertThatExceptionOfType(WebSocketNotAdvertisedException.class).isThrownBy(resolver::resolve)
			.withMessageContaining("the token would travel unencrypted");
	}

	@Test
	void insecureAllowsIt() {
		URI url = URI.create("ws://ws.zzzzz.example.org/websocket");
		assertThat(new WebSocketUrlResolver(HTTPS, url, true, RestClient.create()).resolve()).isEqualTo(url);
	}

	@Test
	void aSecureWebSocketOrAPlainApiIsFine() {
		URI wss = URI.create("wss://ws.zzzzz.example.org/websocket");
		assertThat(new WebSocketUrlResolver(HTTPS, wss, false, RestClient.create()).resolve()).isEqualTo(wss);
		URI ws = URI.create("ws://127.0.0.1:9/websocket");
		assertThat(new WebSocketUrlResolver(URI.create("http://127.0.0.1:8"), ws, false, RestClient.create()).resolve())
			.isEqualTo(ws);
	}

}
