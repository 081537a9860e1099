package org.arvados.events.test.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Queue;

import org.arvados.events.test.websocket.ConnectionRecord.What;
import org.java_websocket.WrappedByteChannel;

/**
 * The socket as Java-WebSocket's selector sees it, noting in the connection's {@link ConnectionRecord} what it
 * reads and writes: the only place that knows when a frame has left the library.
 */
final class RecordingChannel implements WrappedByteChannel {

	private static final int PREVIEW_BYTES = 96;

	private final ByteChannel channel;

	private final ConnectionRecord record;

	private final Queue<ByteBuffer> outQueue;

	RecordingChannel(ByteChannel channel, ConnectionRecord record, Queue<ByteBuffer> outQueue) {
		this.channel = channel;
		this.record = record;
		this.outQueue = outQueue;
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		int read = this.channel.read(dst);
		// The selector reads again and again with nothing there; only data is worth a line. Never the bytes: the
		// handshake holds the token.
		if (read != 0) {
			this.record.add(What.READ, read + " B");
		}
		return read;
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		String preview = textFramePreview(src);
		int written = this.channel.write(src);
		this.record.add(What.WRITTEN, written + " B, " + src.remaining() + " B of it left, " + this.outQueue.size()
				+ " buffers queued" + ((preview != null) ? ": " + preview : ""));
		return written;
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

	@Override
	public boolean isNeedWrite() {
		return this.channel instanceof WrappedByteChannel wrapped && wrapped.isNeedWrite();
	}

	@Override
	public void writeMore() throws IOException {
		if (this.channel instanceof WrappedByteChannel wrapped) {
			wrapped.writeMore();
		}
	}

	@Override
	public boolean isNeedRead() {
		return this.channel instanceof WrappedByteChannel wrapped && wrapped.isNeedRead();
	}

	@Override
	public int readMore(ByteBuffer dst) throws IOException {
		return (this.channel instanceof WrappedByteChannel wrapped) ? wrapped.readMore(dst) : 0;
	}

	@Override
	public boolean isBlocking() {
		return false;
	}

	/** The start of a server text frame's payload when the buffer starts with one (the library's unit). */
	private static String textFramePreview(ByteBuffer buffer) {
		int start = buffer.position();
		if (buffer.remaining() < 2 || (buffer.get(start) & 0x0F) != 0x1) {
			return null;
		}
		int length = buffer.get(start + 1) & 0x7F;
		int header = (length == 126) ? 4 : (length == 127) ? 10 : 2;
		int available = buffer.limit() - start - header;
		if (available <= 0) {
			return null;
		}
		byte[] bytes = new byte[Math.min(available, PREVIEW_BYTES)];
		buffer.get(start + header, bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
