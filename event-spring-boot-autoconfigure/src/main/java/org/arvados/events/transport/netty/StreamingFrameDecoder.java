package org.arvados.events.transport.netty;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;

/**
 * Reads the server's WebSocket frames (RFC 6455, unmasked, no extension) as they arrive, handing a data frame's
 * payload on in parts of up to {@link #PART} bytes: no frame is held whole, however long. A frame that fits in a
 * part is handed on whole, once it has all arrived, as one {@link TextWebSocketFrame} or
 * {@link BinaryWebSocketFrame}; the parts of a longer one, and the frames of a fragmented message, follow as
 * {@link ContinuationWebSocketFrame}s, the last of the message marked final. Control frames come whole.
 * <p>
 * Written by hand because Netty's decoder ({@code WebSocket08FrameDecoder}) reads each frame whole and can only
 * refuse one over its limit by closing the connection; the server would send the same event again after the
 * reconnect, and again. In parts, the starter's connection joins a message up to {@code websocket.max-message-size}
 * and skips a longer one, as it does on Tomcat's client, which reads in parts too.
 * <p>
 * A protocol error (a masked frame, reserved bits, an unknown opcode, a control frame fragmented or over 125 bytes,
 * fragments out of order) raises a {@link CorruptedWebSocketFrameException} with status 1002, and nothing more is
 * read.
 */
final class StreamingFrameDecoder extends ByteToMessageDecoder implements WebSocketFrameDecoder {

	/** The most bytes of a data frame handed on at once. */
	static final int PART = 64 * 1024;

	private static final int CONTINUATION = 0x0;

	private static final int TEXT = 0x1;

	private static final int BINARY = 0x2;

	private static final int CLOSE = 0x8;

	private static final int PING = 0x9;

	private static final int PONG = 0xA;

	private enum State {

		/** Between frames. */
		HEADER,

		/** In a data frame's payload. */
		DATA,

		/** Waiting for the rest of a control frame. */
		CONTROL,

		/** After a close frame or a protocol error: what follows is dropped. */
		DONE

	}

	private State state = State.HEADER;

	private int opcode;

	private boolean finalFrame;

	/** Payload bytes of the current frame not handed on yet. */
	private long remaining;

	/** Whether a message (text or binary) has begun and its last part is still to come. */
	private boolean inMessage;

	@Override
	protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
		switch (this.state) {
			case HEADER -> header(in, out);
			case DATA -> data(in, out);
			case CONTROL -> control(in, out);
			case DONE -> in.skipBytes(in.readableBytes());
		}
	}

	private void header(ByteBuf in, List<Object> out) {
		if (in.readableBytes() < 2) {
			return;
		}
		int at = in.readerIndex();
		int first = in.getUnsignedByte(at);
		int second = in.getUnsignedByte(at + 1);
		if ((second & 0x80) != 0) {
			throw protocolError(in, "a masked frame from the server");
		}
		int lengthBytes = switch (second & 0x7F) {
			case 126 -> 2;
			case 127 -> 8;
			default -> 0;
		};
		if (in.readableBytes() < 2 + lengthBytes) {
			return;
		}
		long length = switch (lengthBytes) {
			case 2 -> in.getUnsignedShort(at + 2);
			case 8 -> in.getLong(at + 2);
			default -> second & 0x7F;
		};
		this.finalFrame = (first & 0x80) != 0;
		this.opcode = first & 0x0F;
		if ((first & 0x70) != 0) {
			throw protocolError(in, "reserved bits set, and no extension was agreed");
		}
		if (length < 0) {
			throw protocolError(in, "a frame length over 2^63");
		}
		checkOpcode(in, length);
		in.skipBytes(2 + lengthBytes);
		this.remaining = length;
		if ((this.opcode & 0x8) != 0) {
			this.state = State.CONTROL;
			control(in, out);
		}
		else {
			this.state = State.DATA;
			data(in, out);
		}
	}

	private void checkOpcode(ByteBuf in, long length) {
		switch (this.opcode) {
			case TEXT, BINARY -> {
				if (this.inMessage) {
					throw protocolError(in, "a new message before the last fragment of the one before");
				}
			}
			case CONTINUATION -> {
				if (!this.inMessage) {
					throw protocolError(in, "a continuation frame outside a message");
				}
			}
			case CLOSE, PING, PONG -> {
				if (!this.finalFrame || length > 125) {
					throw protocolError(in, "a control frame fragmented or over 125 bytes");
				}
			}
			default -> throw protocolError(in, "an unknown opcode " + this.opcode);
		}
	}

	// A part once PART bytes, or the rest of the frame, are there: a small frame whole, a large one in parts.
	private void data(ByteBuf in, List<Object> out) {
		int part = (int) Math.min(this.remaining, PART);
		if (in.readableBytes() < part) {
			return;
		}
		ByteBuf payload = in.readRetainedSlice(part);
		this.remaining -= part;
		boolean frameDone = this.remaining == 0;
		boolean last = frameDone && this.finalFrame;
		WebSocketFrame frame;
		if (this.inMessage) {
			frame = new ContinuationWebSocketFrame(last, 0, payload);
		}
		else {
			frame = (this.opcode == TEXT) ? new TextWebSocketFrame(last, 0, payload)
					: new BinaryWebSocketFrame(last, 0, payload);
		}
		this.inMessage = !last;
		out.add(frame);
		if (frameDone) {
			this.state = State.HEADER;
		}
	}

	private void control(ByteBuf in, List<Object> out) {
		if (in.readableBytes() < this.remaining) {
			return;
		}
		ByteBuf payload = in.readRetainedSlice((int) this.remaining);
		this.state = State.HEADER;
		switch (this.opcode) {
			case PING -> out.add(new PingWebSocketFrame(payload));
			case PONG -> out.add(new PongWebSocketFrame(payload));
			default -> {
				out.add(new CloseWebSocketFrame(true, 0, payload));
				this.state = State.DONE;
			}
		}
	}

	private CorruptedWebSocketFrameException protocolError(ByteBuf in, String what) {
		this.state = State.DONE;
		in.skipBytes(in.readableBytes());
		return new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
				"WebSocket protocol error: " + what);
	}

}
