package org.arvados.events.transport.netty;

import java.net.URI;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Netty client's handshake: no {@code Origin} unless asked for, and the connection read in parts.
 */
class StreamingHandshakerTests {

	private static final URI URL = URI.create("wss://zzzzz.example.org/websocket?api_token=t0k3n");

	@Test
	void sendsNoOriginAndReadsFramesInParts() {
		StreamingHandshaker handshaker = new StreamingHandshaker(URL, null, new DefaultHttpHeaders(), 10_000);
		FullHttpRequest request = handshaker.newHandshakeRequest();
		try {
			assertThat(request.headers().contains(HttpHeaderNames.ORIGIN)).isFalse();
			assertThat(request.uri()).isEqualTo("/websocket?api_token=t0k3n");
		}
		finally {
			request.release();
		}
		assertThat(handshaker.newWebsocketDecoder()).isInstanceOf(StreamingFrameDecoder.class);
	}

	@Test
	void anOriginTheApplicationGivesIsSent() {
		DefaultHttpHeaders headers = new DefaultHttpHeaders();
		headers.add(HttpHeaderNames.ORIGIN, "https://workbench.example.org");
		FullHttpRequest request = new StreamingHandshaker(URL, null, headers, 10_000).newHandshakeRequest();
		try {
			assertThat(request.headers().get(HttpHeaderNames.ORIGIN)).isEqualTo("https://workbench.example.org");
		}
		finally {
			request.release();
		}
	}

}
