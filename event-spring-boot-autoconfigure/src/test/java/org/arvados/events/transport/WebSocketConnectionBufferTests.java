package org.arvados.events.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buffer that joins a message's parts: it holds a large message while it arrives, and lets go of the memory
 * after, whether the message was delivered or skipped as over {@code websocket.max-message-size}.
 */
class WebSocketConnectionBufferTests {

	private static final int PART = 256 * 1024;

	private static final int MAX = 4 * 1024 * 1024;

	private final List<String> messages = new CopyOnWriteArrayList<>();

	private final WebSocketConnection connection = new WebSocketConnection(new TransportListener() {

		@Override
		public void onOpen(WebSocketConnection connection) {
		}

		@Override
		public void onMessage(WebSocketConnection connection, String text, byte @Nullable [] utf8) {
			WebSocketConnectionBufferTests.this.messages.add(text);
		}

		@Override
		public void onClose(WebSocketConnection connection, String reason) {
		}

	}, MAX, "test connection");

	@Test
	void anOversizedMessageLeavesNoLargeBufferBehind() {
		String part = "x".repeat(PART);
		// Just under the limit, then one part too many: skipped.
		for (int i = 0; i < MAX / PART; i++) {
			this.connection.handleMessage(null, new TextMessage(part, false));
		}
		this.connection.handleMessage(null, new TextMessage(part, false));
		this.connection.handleMessage(null, new TextMessage("}", true));
		assertThat(this.messages).isEmpty();
		assertThat(this.connection.bufferCapacity()).isLessThanOrEqualTo(WebSocketConnection.KEPT_BUFFER_CAPACITY);
		// The connection goes on.
		this.connection.handleMessage(null, new TextMessage("{\"id\":", false));
		this.connection.handleMessage(null, new TextMessage("1}", true));
		assertThat(this.messages).containsExactly("{\"id\":1}");
	}

	@Test
	void aLargeMessageDeliveredLeavesNoLargeBufferBehind() {
		String part = "y".repeat(PART);
		for (int i = 0; i < 8; i++) {
			this.connection.handleMessage(null, new TextMessage(part, false));
		}
		this.connection.handleMessage(null, new TextMessage("z", true));
		assertThat(this.messages).singleElement().satisfies((text) -> assertThat(text).hasSize(8 * PART + 1));
		assertThat(this.connection.bufferCapacity()).isLessThanOrEqualTo(WebSocketConnection.KEPT_BUFFER_CAPACITY);
	}

	@Test
	void smallMessagesInPartsKeepTheBuffer() {
		for (int i = 0; i < 3; i++) {
			this.connection.handleMessage(null, new TextMessage("{\"id\":", false));
			this.connection.handleMessage(null, new TextMessage(i + "}", true));
		}
		assertThat(this.messages).containsExactly("{\"id\":0}", "{\"id\":1}", "{\"id\":2}");
		assertThat(this.connection.bufferCapacity()).isPositive();
	}

}
