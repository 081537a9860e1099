package org.arvados.events.transport.netty;

import java.net.URI;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import org.jspecify.annotations.Nullable;

/**
 * Netty's RFC 6455 client handshake, reading the connection with a {@link StreamingFrameDecoder} (frames in parts)
 * instead of Netty's decoder, and sending no {@code Origin} header: this is no browser (Tomcat's client sends none
 * either).
 */
final class StreamingHandshaker extends WebSocketClientHandshaker13 {

	private final HttpHeaders headers;

	/**
	 * @param uri the URL
	 * @param subprotocol the subprotocols asked for, comma-separated, or {@code null}
	 * @param headers more headers for the handshake request
	 * @param forceCloseTimeoutMillis how long to wait for the server to close after a close frame was sent
	 */
	StreamingHandshaker(URI uri, @Nullable String subprotocol, HttpHeaders headers, long forceCloseTimeoutMillis) {
		// The frame limit is the decoder's, and this decoder has none: it hands long frames on in parts.
		super(uri, WebSocketVersion.V13, subprotocol, false, headers, Integer.MAX_VALUE, true, false,
				forceCloseTimeoutMillis);
		this.headers = headers;
	}

	@Override
	protected FullHttpRequest newHandshakeRequest() {
		FullHttpRequest request = super.newHandshakeRequest();
		if (!this.headers.contains(HttpHeaderNames.ORIGIN)) {
			request.headers().remove(HttpHeaderNames.ORIGIN);
		}
		return request;
	}

	@Override
	protected WebSocketFrameDecoder newWebsocketDecoder() {
		return new StreamingFrameDecoder();
	}

}
