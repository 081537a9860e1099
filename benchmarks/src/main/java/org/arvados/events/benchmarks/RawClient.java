package org.arvados.events.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The raw limit: the same WebSocket client the starter uses (Spring's standard client on Tomcat's, with the
 * same 64 KiB buffers), reading every frame and throwing it away, or decoding it with Jackson into maps as the
 * starter's decoder does, and nothing more: no resume position, no queue, no dispatch.
 */
final class RawClient extends TextWebSocketHandler {

	private static final ObjectReader READER = JsonMapper.builder().build().readerFor(Object.class);

	private final boolean decode;

	private final long warmUp;

	private final long total;

	private final CountDownLatch done = new CountDownLatch(1);

	private long seen;

	private long startNanos;

	private long endNanos;

	private Object sink;

	RawClient(boolean decode, long warmUp, long measured) {
		this.decode = decode;
		this.warmUp = warmUp;
		this.total = warmUp + measured;
	}

	/**
	 * Read the events of a blast server and time the ones after the warm-up.
	 * @return nanoseconds
	 */
	long run(int port) throws Exception {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(64 * 1024);
		container.setDefaultMaxBinaryMessageBufferSize(64 * 1024);
		WebSocketSession session = new StandardWebSocketClient(container)
			.execute(this, "ws://127.0.0.1:" + port + "/websocket")
			.get(10, TimeUnit.SECONDS);
		try {
			session.sendMessage(new TextMessage("{\"method\":\"subscribe\",\"filters\":[]}"));
			if (!this.done.await(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Only " + this.seen + " of " + this.total + " events arrived");
			}
			return this.endNanos - this.startNanos;
		}
		finally {
			session.close();
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		String payload = message.getPayload();
		if (payload.startsWith("{\"status\"")) {
			return;
		}
		if (this.decode) {
			this.sink = READER.readValue(payload.getBytes(StandardCharsets.UTF_8));
		}
		long n = ++this.seen;
		if (n == this.warmUp) {
			this.startNanos = System.nanoTime();
		}
		if (n == this.total) {
			this.endNanos = System.nanoTime();
			this.done.countDown();
		}
	}

	@Override
	public String toString() {
		return "RawClient[decode=" + this.decode + ", sink=" + (this.sink != null) + "]";
	}

}
