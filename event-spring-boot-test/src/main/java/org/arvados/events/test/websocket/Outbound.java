package org.arvados.events.test.websocket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.arvados.events.test.websocket.ConnectionRecord.What;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's bounded outgoing queue and the one thread that drains it, as in arvados-ws
 * ({@code handler.go}).
 *
 * <p>Java-WebSocket sends asynchronously into an unbounded buffer, so before each frame the writer
 * waits until that buffer holds less than {@value #MAX_UNWRITTEN_BYTES} bytes not yet taken by
 * the socket: a client that stops reading then backs up into this queue, where overflow is
 * detected, while a reading client still gets frames back to back. If the buffer does not drain
 * within the write timeout (arvados-ws' {@code SendTimeout}), the connection is dropped without a
 * close frame, as the real server drops it when a write times out.
 *
 * <p>While bytes wait unwritten the writer asks the selector again, every
 * {@value #REARM_MILLIS} ms, to write them. Java-WebSocket (1.6.0) can lose a write: its selector
 * thread clears the socket's write interest after writing what it held, and a frame queued by
 * another thread between that write and the clearing waits for the next send. With keepalives a
 * minute apart, a reply to a subscription waited that long: the client gave up on it.
 */
final class Outbound {

	private static final Logger logger = LoggerFactory.getLogger(Outbound.class);

	/** About one socket buffer's worth: small frames pipeline, a large one waits for the last. */
	static final int MAX_UNWRITTEN_BYTES = 64 * 1024;

	private static final int SPINS_BEFORE_PARKING = 100;

	static final long REARM_MILLIS = 10;

	private static final long IDLE_POLL_MILLIS = 100;

	private final WebSocketImpl socket;

	private final BlockingQueue<OutgoingFrame> queue;

	private final int capacity;

	private final long writeTimeoutNanos;

	private final BooleanSupplier silent;

	private final Thread writer;

	private final Runnable writeDemand;

	private final ConnectionRecord record;

	private long lastMsgId;

	private volatile boolean closed;

	private volatile boolean halfOpen;

	Outbound(WebSocketImpl socket, int capacity, Duration writeTimeout, BooleanSupplier silent, String name,
			Runnable writeDemand, ConnectionRecord record) {
		this.socket = socket;
		this.record = record;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.capacity = capacity;
		this.writeTimeoutNanos = writeTimeout.toNanos();
		this.silent = silent;
		this.writeDemand = writeDemand;
		this.writer = new Thread(this::drain, name + "-writer");
		this.writer.setDaemon(true);
	}

	void start() {
		this.writer.start();
	}

	/**
	 * Queues a frame without waiting. Once the connection has gone silent the frame is dropped (and
	 * reported as queued): a half-open socket swallows everything.
	 * @return false if the queue is full
	 */
	boolean offer(OutgoingFrame frame) {
		if (isHalfOpen()) {
			this.record.add(What.DROPPED, frame.describe());
			return true;
		}
		boolean queued = this.queue.offer(frame);
		this.record.add(What.QUEUED, (queued ? "" : "no room: ") + frame.describe());
		return queued;
	}

	/**
	 * Queues a replayed frame with arvados-ws' flow control: wait in 100 ms steps while the queue
	 * is more than half full, then wait for room.
	 * @return false if the connection closed meanwhile
	 */
	boolean offerPaced(OutgoingFrame frame) throws InterruptedException {
		while (this.queue.size() * 2 > this.capacity) {
			if (isClosing()) {
				return false;
			}
			Thread.sleep(100);
		}
		while (!offerWithin(frame, 100)) {
			if (isClosing()) {
				return false;
			}
		}
		return true;
	}

	/** Queues a keepalive if nothing else is waiting, as the server's ticker does. */
	void keepalive() {
		if (this.queue.isEmpty()) {
			offer(OutgoingFrame.KEEPALIVE);
		}
	}

	void close() {
		this.closed = true;
		this.writer.interrupt();
	}

	// Once silent, always silent: a half-open socket does not come back, and TCP never loses frames
	// in the middle of a stream that goes on. Only connections opened after the silence work again.
	boolean isHalfOpen() {
		if (!this.halfOpen && this.silent.getAsBoolean()) {
			this.halfOpen = true;
		}
		return this.halfOpen;
	}

	private boolean isClosing() {
		return this.closed || !this.socket.isOpen();
	}

	private boolean offerWithin(OutgoingFrame frame, long millis) throws InterruptedException {
		if (isHalfOpen()) {
			this.record.add(What.DROPPED, frame.describe());
			return true;
		}
		boolean queued = this.queue.offer(frame, millis, TimeUnit.MILLISECONDS);
		if (queued) {
			this.record.add(What.QUEUED, frame.describe());
		}
		return queued;
	}

	private void drain() {
		try {
			while (!isClosing()) {
				OutgoingFrame frame = this.queue.poll();
				if (frame == null) {
					// Idle: while bytes wait unwritten, wake up soon to ask for their write again.
					boolean unwritten = unwrittenBytes() > 0;
					frame = this.queue.poll(unwritten ? REARM_MILLIS : IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
					if (frame == null) {
						long left = unwritten ? unwrittenBytes() : 0;
						if (left > 0) {
							this.record.add(What.REARMED, left + " B unwritten");
							this.writeDemand.run();
						}
						continue;
					}
				}
				if (isHalfOpen()) {
					this.record.add(What.DROPPED, frame.describe());
					continue;
				}
				if (!awaitRoom()) {
					logger.warn("Dropping connection from {}: write timed out", this.socket.getRemoteSocketAddress());
					this.socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "write timeout");
					return;
				}
				String text = frame.render(() -> ++this.lastMsgId);
				this.socket.send(text);
				this.record.add(What.SENT, text + " (" + unwrittenBytes() + " B unwritten)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (WebsocketNotConnectedException ex) {
			// closed between the check and the send: nothing left to write to
		}
	}

	/** Waits until the library's buffer has room for another frame; false on timeout. */
	private boolean awaitRoom() {
		long now = System.nanoTime();
		long deadline = now + this.writeTimeoutNanos;
		long rearmAt = now + TimeUnit.MILLISECONDS.toNanos(REARM_MILLIS);
		int spins = 0;
		while (unwrittenBytes() > MAX_UNWRITTEN_BYTES && this.socket.isOpen()) {
			now = System.nanoTime();
			if (now - deadline > 0) {
				return false;
			}
			if (now - rearmAt > 0) {
				this.record.add(What.REARMED, unwrittenBytes() + " B unwritten, waiting for room");
				this.writeDemand.run();
				rearmAt = now + TimeUnit.MILLISECONDS.toNanos(REARM_MILLIS);
			}
			if (spins++ < SPINS_BEFORE_PARKING) {
				Thread.onSpinWait();
			}
			else {
				LockSupport.parkNanos(50_000);
			}
		}
		return true;
	}

	private long unwrittenBytes() {
		long bytes = 0;
		for (ByteBuffer buffer : this.socket.outQueue) {
			bytes += buffer.remaining();
		}
		return bytes;
	}

}
