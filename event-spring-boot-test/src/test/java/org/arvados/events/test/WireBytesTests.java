package org.arvados.events.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frame bytes as a raw socket sees them, for what a WebSocket client library hides: the exact
 * status, keepalive and close frames, and that a dropped connection ends with no close frame.
 */
class WireBytesTests {

	@Test
	void statusKeepaliveAndCloseFramesHaveArvadosBytes() throws IOException {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().keepaliveInterval(Duration.ofMillis(200)).start();
				Socket socket = handshake(cluster)) {
			sendMaskedText(socket.getOutputStream(), "{\"method\":\"subscribe\"}");
			InputStream in = socket.getInputStream();
			assertThat(hex(in.readNBytes(16))).isEqualTo("810e" + hex("{\"status\":200}"));
			assertThat(hex(in.readNBytes(4))).isEqualTo("8102" + hex("{}"));
			cluster.closeConnections();
			assertThat(hex(in.readNBytes(4))).isEqualTo("880203e8");
		}
	}

	@Test
	void droppedConnectionsEndWithoutACloseFrame() throws IOException {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start(); Socket socket = handshake(cluster)) {
			sendMaskedText(socket.getOutputStream(), "{\"method\":\"subscribe\"}");
			InputStream in = socket.getInputStream();
			assertThat(in.readNBytes(16)).hasSize(16);
			cluster.dropConnections();
			assertThat(in.readAllBytes()).isEmpty();
		}
	}

	private static Socket handshake(FakeArvadosCluster cluster) throws IOException {
		URI url = URI.create(cluster.websocketUrl());
		Socket socket = new Socket(url.getHost(), url.getPort());
		socket.setSoTimeout(10_000);
		String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
		String request = "GET /websocket?api_token=" + cluster.token() + " HTTP/1.1\r\nHost: " + url.getAuthority()
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n";
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		InputStream in = socket.getInputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).isNotNegative();
			head.write(b);
		}
		String response = head.toString(StandardCharsets.US_ASCII);
		assertThat(response).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("Sec-WebSocket-Extensions")
			.doesNotContainIgnoringCase("Sec-WebSocket-Protocol");
		return socket;
	}

	private static void sendMaskedText(OutputStream out, String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		byte[] mask = { 1, 2, 3, 4 };
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x81);
		frame.write(0x80 | payload.length);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		out.write(frame.toByteArray());
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	private static String hex(String text) {
		return hex(text.getBytes(StandardCharsets.US_ASCII));
	}

}
