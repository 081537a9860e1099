package org.arvados.events.test.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.HandshakeBuilder;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;

/**
 * RFC 6455 without extensions or subprotocols (arvados-ws negotiates neither), able to answer a
 * handshake with an arbitrary HTTP status.
 *
 * <p>Java-WebSocket can only refuse a handshake with 404 or 500; a 503 (arvados-ws' request
 * limiter) and Go's plain 404 page are produced here instead, from a marker header the server
 * puts on the response.
 */
final class RejectingDraft extends Draft_6455 {

	private static final String STATUS_HEADER = "X-Fake-Arvados-Reject-Status";

	/** Marks {@code response} to be sent as {@code status} with a short plain-text body. */
	static void reject(HandshakeBuilder response, int status) {
		response.put(STATUS_HEADER, Integer.toString(status));
	}

	@Override
	public Draft copyInstance() {
		return new RejectingDraft();
	}

	@Override
	public List<ByteBuffer> createHandshake(Handshakedata handshake, boolean withContent) {
		if (handshake instanceof ServerHandshake && handshake.hasFieldValue(STATUS_HEADER)) {
			return List.of(rejection(Integer.parseInt(handshake.getFieldValue(STATUS_HEADER))));
		}
		return super.createHandshake(handshake, withContent);
	}

	private static ByteBuffer rejection(int status) {
		String reason = (status == 503) ? "Service Unavailable" : "Not Found";
		String body = (status == 503) ? "503 Service Unavailable\n" : "404 page not found\n";
		String response = "HTTP/1.1 " + status + " " + reason + "\r\n"
				+ "Content-Type: text/plain; charset=utf-8\r\n"
				+ "Content-Length: " + body.length() + "\r\n"
				+ "Connection: close\r\n\r\n" + body;
		return ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII));
	}

}
