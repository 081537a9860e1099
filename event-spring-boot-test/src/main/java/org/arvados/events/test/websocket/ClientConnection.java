package org.arvados.events.test.websocket;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.format.Timestamps;
import org.arvados.events.test.store.LogStore;
import org.arvados.events.test.websocket.ConnectionRecord.What;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One v0 session ({@code session_v0.go}): subscriptions, replies, replay and live delivery for a
 * single socket.
 *
 * <p>Client messages are handled one at a time on the connection's own thread, because replay
 * may wait for the client and, as in arvados-ws, holds back the next message until it is done.
 */
final class ClientConnection {

	private static final Logger logger = LoggerFactory.getLogger(ClientConnection.class);

	private final WebSocket socket;

	private final LogStore store;

	private final WebSocketSettings settings;

	private final ScheduledExecutorService scheduler;

	private final Runnable onOverflow;

	private final BooleanSupplier permitted;

	private final Outbound outbound;

	private final ExecutorService reader;

	private final Subscriptions subscriptions = new Subscriptions();

	private final AtomicBoolean closing = new AtomicBoolean();

	private final ScheduledFuture<?> keepalive;

	private final ConnectionRecord record;

	ClientConnection(WebSocket socket, String name, LogStore store, WebSocketSettings settings,
			ScheduledExecutorService scheduler, BooleanSupplier silent, BooleanSupplier permitted, Runnable onOverflow,
			Runnable writeDemand, ConnectionRecord record) {
		this.record = record;
		this.socket = socket;
		this.store = store;
		this.settings = settings;
		this.scheduler = scheduler;
		this.onOverflow = onOverflow;
		this.permitted = permitted;
		this.outbound = new Outbound((WebSocketImpl) socket, settings.clientQueueCapacity(), settings.keepaliveInterval(), silent,
				name, writeDemand, record);
		this.reader = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, name + "-reader");
			thread.setDaemon(true);
			return thread;
		});
		this.outbound.start();
		long period = settings.keepaliveInterval().toNanos();
		this.keepalive = scheduler.scheduleAtFixedRate(this.outbound::keepalive, period, period, TimeUnit.NANOSECONDS);
	}

	/** Handles a client frame after those received before it. */
	void receive(String text) {
		try {
			this.reader.execute(() -> handle(text));
		}
		catch (RejectedExecutionException ex) {
			// the connection closed meanwhile: nobody is left to answer
		}
	}

	/**
	 * Queues a committed row if any subscription wants it and the token may read it (a revoked token reads
	 * nothing: arvados-ws drops the event without a word); overflows close the connection.
	 */
	void deliver(LogEntry entry, Supplier<EventFrame> frame) {
		if (!this.socket.isOpen() || !this.permitted.getAsBoolean()) {
			return;
		}
		if (!this.subscriptions.offerIfMatching(entry, () -> this.outbound.offer(frame.get()))) {
			overflow();
		}
	}

	/** Queues a test frame like any other reply. */
	/** Whether it went silent (see {@link WebSocketEndpoint#setSilent}): it writes nothing more, for good. */
	boolean isHalfOpen() {
		return this.outbound.isHalfOpen();
	}

	/** Closes the socket without a close frame. */
	void drop() {
		this.socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by the fake cluster");
	}

	void sendRaw(String frame) {
		if (this.socket.isOpen() && !this.outbound.offer(OutgoingFrame.text(frame))) {
			overflow();
		}
	}

	/**
	 * Closes with 1000, the only code arvados-ws uses. If the close frame cannot be written within
	 * the write deadline (the client stopped reading), the socket is dropped as the real server
	 * drops it when its write times out.
	 */
	void closeNormally() {
		this.socket.close(CloseFrame.NORMAL);
		this.scheduler.schedule(() -> {
			if (!this.socket.isClosed()) {
				this.socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "close frame not written");
			}
		}, this.settings.keepaliveInterval().toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Releases the threads; called once the socket is closed. */
	void release() {
		this.keepalive.cancel(false);
		this.outbound.close();
		this.reader.shutdownNow();
	}

	private void handle(String text) {
		this.record.add(What.HANDLED, text);
		int pieces = ClientRequest.piecesReadByGo(text);
		if (pieces > 1) {
			for (int i = 0; i < pieces; i++) {
				reply(OutgoingFrame.STATUS_FAIL);
			}
			return;
		}
		ClientRequest request = ClientRequest.parse(text);
		if (request == null) {
			reply(OutgoingFrame.STATUS_FAIL);
		}
		else if ("subscribe".equals(request.method())) {
			Subscription subscription = new Subscription(request.filters());
			// In place before its reply is queued: a client that has the 200 may commit at once, and must get that.
			if (!this.subscriptions.add(subscription, () -> this.outbound.offer(OutgoingFrame.STATUS_OK))) {
				overflow();
			}
			if (request.lastLogId() != 0) {
				replay(subscription, request.lastLogId());
			}
		}
		else if ("unsubscribe".equals(request.method())) {
			reply(this.subscriptions.remove(request.filters()) ? OutgoingFrame.STATUS_OK : OutgoingFrame.STATUS_FAIL);
		}
		else {
			reply(OutgoingFrame.STATUS_FAIL);
		}
	}

	/**
	 * {@code sendOldEvents}: rows after the cursor and inside the window, in id order, checked
	 * against this subscription only. A row also delivered live may arrive twice, as it can from
	 * arvados-ws.
	 */
	private void replay(Subscription subscription, long lastLogId) {
		Instant cutoff = Timestamps.now().minus(this.settings.replayWindow());
		List<LogEntry> rows = this.store.after(lastLogId)
			.stream()
			.filter((row) -> row.createdAt().isAfter(cutoff))
			.toList();
		try {
			for (LogEntry row : rows) {
				if (subscription.matches(row) && this.permitted.getAsBoolean()
						&& !this.outbound.offerPaced(EventFrame.of(row))) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Status replies are never dropped: a full queue closes the connection, as an event would. */
	private void reply(OutgoingFrame status) {
		if (!this.outbound.offer(status)) {
			overflow();
		}
	}

	private void overflow() {
		if (this.closing.compareAndSet(false, true)) {
			logger.warn("client queue full, closing connection from {}", this.socket.getRemoteSocketAddress());
			this.onOverflow.run();
			closeNormally();
		}
	}

}
