package org.arvados.events.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket server on loopback that answers one subscription with Arvados-shaped update events, in phases:
 * as fast as the client reads them, or at a fixed rate. Every event carries its send time
 * ({@code properties.sent}, {@link System#nanoTime()} in this JVM) for latency. Frames are patched from a template with fixed-width ids, so the
 * server costs next to nothing and the client is what is measured. Writes block when the client falls behind
 * (plain TCP flow control), as the real server's do. Written by hand because the test kit's server queues
 * frames without bound and paces itself, which is right for fidelity and wrong for a throughput figure.
 */
final class BlastServer implements AutoCloseable {

	private static final long FIRST_ID = 10_000_000L;

	/** Send times are counted from here, so they are positive and fit 19 digits. */
	private static final long ORIGIN = System.nanoTime();

	private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)", Pattern.CASE_INSENSITIVE);

	private final ServerSocket serverSocket;

	private final byte[] template;

	private final int idOffset;

	private final int msgIdOffset;

	private final int sentOffset;

	private final List<Phase> phases;

	/** Opened by {@link #go()}: a connection served by {@link #serveOneWhenLive()} waits for it. */
	private final CountDownLatch live = new CountDownLatch(1);

	/** A number of events, sent at a rate, or as fast as they are read when the rate is 0. */
	record Phase(long count, int perSecond) {
	}

	BlastServer(int propertiesPadding, long count) throws IOException {
		this(propertiesPadding, List.of(new Phase(count, 0)));
	}

	BlastServer(int propertiesPadding, List<Phase> phases) throws IOException {
		this.serverSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.phases = phases;
		String padding = (propertiesPadding > 0) ? ",\"text\":\"" + "x".repeat(propertiesPadding) + "\"" : "";
		String json = "{\"event_at\":\"2026-11-23T00:32:34.828334Z\",\"event_type\":\"update\",\"id\":" + FIRST_ID
				+ ",\"msgID\":" + FIRST_ID + ",\"object_kind\":\"arvados#collection\","
				+ "\"object_owner_uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\",\"object_uuid\":\"zzzzz-4zz18-0123456789abcde\","
				+ "\"properties\":{\"new_attributes\":{\"is_trashed\":false,\"name\":\"bar\",\"owner_uuid\":"
				+ "\"zzzzz-tpzed-xurymjxw79nv3jz\",\"portable_data_hash\":\"d41d8cd98f00b204e9800998ecf8427e+0\","
				+ "\"state\":\"Committed\"},\"old_attributes\":{\"is_trashed\":false,\"name\":\"foo\",\"owner_uuid\":"
				+ "\"zzzzz-tpzed-xurymjxw79nv3jz\",\"portable_data_hash\":\"d41d8cd98f00b204e9800998ecf8427e+0\","
				+ "\"state\":\"Uncommitted\"},\"sent\":\"0000000000000000000\"" + padding
				+ "},\"uuid\":\"zzzzz-57u5n-0123456789abcde\"}";
		byte[] payload = json.getBytes(StandardCharsets.US_ASCII);
		byte[] header = header(payload.length);
		this.template = new byte[header.length + payload.length];
		System.arraycopy(header, 0, this.template, 0, header.length);
		System.arraycopy(payload, 0, this.template, header.length, payload.length);
		this.idOffset = header.length + json.indexOf("\"id\":") + 5;
		this.msgIdOffset = header.length + json.indexOf("\"msgID\":") + 8;
		this.sentOffset = header.length + json.indexOf("\"sent\":") + 8;
	}

	/** The clock of {@code properties.sent}: nanoseconds since this class was loaded. */
	static long now() {
		return System.nanoTime() - ORIGIN;
	}

	/** The id of the first event; ids follow one by one. */
	static long firstId() {
		return FIRST_ID;
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	int eventSize() {
		return this.template.length;
	}

	/**
	 * Serve one connection on a new thread: handshake, read the subscribe frame, send every event.
	 */
	void serveOne() {
		serveOne(false);
	}

	/**
	 * Serve one connection as {@link #serveOne()}, but send the events only once {@link #go()} is called: a starter
	 * must be live first. While it catches up, a new connection's live events wait in a bounded buffer; a blast
	 * overflows it, and what it lets go of is read from the logs list, which the stub API does not have, so the
	 * stream would wait for it for ever.
	 */
	void serveOneWhenLive() {
		serveOne(true);
	}

	/**
	 * Let the events go to the connection served by {@link #serveOneWhenLive()}.
	 */
	void go() {
		this.live.countDown();
	}

	private void serveOne(boolean gated) {
		Thread thread = new Thread(() -> {
			try (Socket socket = this.serverSocket.accept()) {
				socket.setTcpNoDelay(true);
				InputStream in = socket.getInputStream();
				OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
				handshake(in, out);
				skipFrame(in);
				out.write(new byte[] { (byte) 0x81, 14 });
				out.write("{\"status\":200}".getBytes(StandardCharsets.US_ASCII));
				if (gated) {
					out.flush();
					this.live.await();
				}
				byte[] frame = this.template.clone();
				long id = FIRST_ID;
				for (Phase phase : this.phases) {
					id = (phase.perSecond() == 0) ? blast(out, frame, id, phase.count())
							: pace(out, frame, id, phase.count(), phase.perSecond());
				}
				out.flush();
				in.read();
			}
			catch (IOException ex) {
				// the client went away: the round is over
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "blast-server");
		thread.setDaemon(true);
		thread.start();
	}

	private long blast(OutputStream out, byte[] frame, long firstId, long count) throws IOException {
		for (long id = firstId; id < firstId + count; id++) {
			stamp(frame, id);
			out.write(frame);
		}
		return firstId + count;
	}

	// Sends what is due, then naps: parkNanos cannot wait 20 µs, so at 50k/s events leave in small bursts,
	// each stamped with the moment it is written.
	private long pace(OutputStream out, byte[] frame, long firstId, long count, int perSecond) throws IOException {
		long period = 1_000_000_000L / perSecond;
		long due = System.nanoTime();
		long id = firstId;
		while (id < firstId + count) {
			while (id < firstId + count && due <= System.nanoTime()) {
				stamp(frame, id++);
				out.write(frame);
				due += period;
			}
			out.flush();
			LockSupport.parkNanos(Math.min(period, 50_000));
		}
		return id;
	}

	private void stamp(byte[] frame, long id) {
		writeDigits(frame, this.idOffset, id, 8);
		writeDigits(frame, this.msgIdOffset, id, 8);
		writeDigits(frame, this.sentOffset, now(), 19);
	}

	private static void handshake(InputStream in, OutputStream out) throws IOException {
		StringBuilder request = new StringBuilder();
		while (!request.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed during handshake");
			}
			request.append((char) b);
		}
		Matcher key = KEY.matcher(request);
		if (!key.find()) {
			throw new IOException("not a WebSocket handshake");
		}
		String accept;
		try {
			accept = Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-1")
					.digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	// A masked client frame under 64 KiB: the subscribe message.
	private static void skipFrame(InputStream in) throws IOException {
		in.read();
		int length = in.read() & 0x7f;
		if (length == 126) {
			length = (in.read() << 8) | in.read();
		}
		in.readNBytes(4 + length);
	}

	private static byte[] header(int length) {
		if (length < 126) {
			return new byte[] { (byte) 0x81, (byte) length };
		}
		if (length < 65536) {
			return new byte[] { (byte) 0x81, 126, (byte) (length >> 8), (byte) length };
		}
		byte[] header = new byte[10];
		header[0] = (byte) 0x81;
		header[1] = 127;
		for (int i = 0; i < 8; i++) {
			header[9 - i] = (byte) (length >>> (8 * i));
		}
		return header;
	}

	private static void writeDigits(byte[] frame, int offset, long value, int width) {
		for (int i = width - 1; i >= 0; i--) {
			frame[offset + i] = (byte) ('0' + (value % 10));
			value /= 10;
		}
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
	}

}
