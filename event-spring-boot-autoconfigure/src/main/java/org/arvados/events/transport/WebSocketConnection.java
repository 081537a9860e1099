package org.arvados.events.transport;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One WebSocket connection to the Arvados event server. Takes messages in parts (so the client's buffer can
 * stay small while an event may be many megabytes), joins them up to {@code maxMessageSize} characters, and
 * passes whole messages to its {@link TransportListener}. A message over the limit is skipped and reported.
 */
public final class WebSocketConnection implements WebSocketHandler {

	/**
	 * The most a connection keeps of the buffer that joins a message's parts once the message is done: one large
	 * event must not hold up to {@code websocket.max-message-size} characters for the connection's life.
	 */
	static final int KEPT_BUFFER_CAPACITY = 1 << 20;

	private static final Log logger = LogFactory.getLog(WebSocketConnection.class);

	private final TransportListener listener;

	private final int maxMessageSize;

	private final String description;

	private StringBuilder partial = new StringBuilder();

	private boolean oversized;

	private volatile @Nullable WebSocketSession session;

	private final AtomicBoolean closeReported = new AtomicBoolean();

	WebSocketConnection(TransportListener listener, int maxMessageSize, String description) {
		this.listener = listener;
		this.maxMessageSize = maxMessageSize;
		this.description = description;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.session = session;
		this.listener.onOpen(this);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		if (!(message instanceof TextMessage text)) {
			return;
		}
		String payload = text.getPayload();
		if (text.isLast() && this.partial.length() == 0 && !this.oversized) {
			// Most messages arrive whole: no copy.
			deliver(payload, text);
			return;
		}
		if (!this.oversized) {
			if (this.partial.length() + payload.length() > this.maxMessageSize) {
				this.oversized = true;
				reportOversized();
				clearBuffer();
			}
			else {
				this.partial.append(payload);
			}
		}
		if (text.isLast()) {
			boolean complete = !this.oversized;
			this.oversized = false;
			if (complete) {
				String whole = this.partial.toString();
				clearBuffer();
				deliver(whole, null);
			}
		}
	}

	private void clearBuffer() {
		if (this.partial.capacity() > KEPT_BUFFER_CAPACITY) {
			this.partial = new StringBuilder();
		}
		else {
			this.partial.setLength(0);
		}
	}

	/** How many characters the buffer that joins parts holds room for, for tests. */
	int bufferCapacity() {
		return this.partial.capacity();
	}

	// With the message it arrived in whole, if it did: the bytes the Netty client read come with it (Tomcat's client
	// gives only text, which asBytes() encodes as the decoder would), once the message is known to be taken.
	private void deliver(String whole, @Nullable TextMessage arrived) {
		if (whole.length() > this.maxMessageSize) {
			reportOversized();
			return;
		}
		this.listener.onMessage(this, whole, (arrived != null) ? arrived.asBytes() : null);
	}

	private void reportOversized() {
		logger.error("Skipped a message from " + this.description + " larger than websocket.max-message-size ("
				+ this.maxMessageSize + " characters); raise arvados.events.websocket.max-message-size to receive it");
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		reportClose("broken: " + exception.getClass().getSimpleName());
		close();
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		reportClose(TransportListener.describe(closeStatus));
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	/**
	 * Send a text message.
	 * @param text the message, which the server reads whole only when well under 4 KiB
	 * @throws IOException if the connection cannot take it
	 */
	public void send(String text) throws IOException {
		WebSocketSession current = this.session;
		if (current == null) {
			throw new IOException("Not connected");
		}
		synchronized (this) {
			current.sendMessage(new TextMessage(text));
		}
	}

	/**
	 * Close with 1000, quietly: a connection that is already broken is simply let go.
	 */
	public void close() {
		WebSocketSession current = this.session;
		if (current != null && current.isOpen()) {
			try {
				current.close(CloseStatus.NORMAL);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Closing " + this.description + " failed: " + ex.getClass().getSimpleName());
			}
		}
	}

	private void reportClose(String reason) {
		if (this.closeReported.compareAndSet(false, true)) {
			this.listener.onClose(this, reason);
		}
	}

	@Override
	public String toString() {
		return this.description;
	}

}
