package org.arvados.events.test.websocket;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What happened on one connection, most recent last: each client frame received and handled, each reply or
 * event queued, handed to Java-WebSocket and written to the socket by its selector, and the close. A bounded
 * ring, so a long test keeps its last {@value #CAPACITY} steps; read when a test times out, to tell which side
 * lost a frame.
 *
 * <p>Texts are cut short and never include the handshake, where the token is.
 */
final class ConnectionRecord {

	static final int CAPACITY = 256;

	private static final int TEXT_LIMIT = 96;

	/** A step in a frame's way through the server. */
	enum What {

		/** Bytes read from the socket by the selector. */
		READ,
		/** A whole client frame decoded by a Java-WebSocket worker. */
		RECEIVED,
		/** A client frame taken by the session's reader. */
		HANDLED,
		/** A frame put in the session's queue. */
		QUEUED,
		/** A frame dropped, since the connection went silent. */
		DROPPED,
		/** A frame handed to Java-WebSocket's {@code send}: in its out-queue, not yet on the socket. */
		SENT,
		/** The writer asked the selector again to write bytes still in the out-queue. */
		REARMED,
		/** Bytes written to the socket by the selector. */
		WRITTEN,
		/** The socket closed. */
		CLOSED

	}

	private record Step(long nanos, What what, String thread, String text) {
	}

	private final long startNanos = System.nanoTime();

	private final Instant start = Instant.now();

	private final Step[] ring = new Step[CAPACITY];

	private long count;

	private volatile String name = "unnamed";

	void name(String name) {
		this.name = name;
	}

	void add(What what, String text) {
		Step step = new Step(System.nanoTime(), what, Thread.currentThread().getName(), shorten(text));
		synchronized (this) {
			this.ring[(int) (this.count++ % CAPACITY)] = step;
		}
	}

	/** The steps, one a line, with milliseconds since the connection was accepted. */
	String describe() {
		Step[] steps;
		long total;
		synchronized (this) {
			steps = this.ring.clone();
			total = this.count;
		}
		StringBuilder text = new StringBuilder().append(this.name)
			.append(", accepted at ")
			.append(this.start)
			.append(", ")
			.append(total)
			.append(" steps")
			.append((total > CAPACITY) ? " (the last " + CAPACITY + " shown)" : "")
			.append('\n');
		for (long i = Math.max(0, total - CAPACITY); i < total; i++) {
			Step step = steps[(int) (i % CAPACITY)];
			long micros = TimeUnit.NANOSECONDS.toMicros(step.nanos() - this.startNanos);
			text.append(String.format("  %10.3f ms  %-8s %-28s %s%n", micros / 1000.0, step.what(), step.thread(),
					step.text()));
		}
		return text.toString();
	}

	private static String shorten(String text) {
		return (text.length() <= TEXT_LIMIT) ? text
				: text.substring(0, TEXT_LIMIT) + "… (" + text.length() + " chars)";
	}

}
