package org.arvados.events.transport.netty;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * Decodes a text message that arrives in parts, which may end inside a character (a server may fragment a message
 * anywhere, and {@link StreamingFrameDecoder} cuts long frames at a byte count): the bytes of an unfinished
 * character are kept for the next part. What is not UTF-8 becomes U+FFFD, as in a whole message's
 * {@code text()}.
 */
final class Utf8Parts {

	private static final byte[] NONE = new byte[0];

	private byte[] carried = NONE;

	/**
	 * The text of one more part of the message.
	 * @param part the part's bytes (not released here)
	 * @param last whether it ends the message; its text then includes whatever was carried
	 * @return the characters the part completes
	 */
	String decode(ByteBuf part, boolean last) {
		byte[] bytes = new byte[this.carried.length + part.readableBytes()];
		System.arraycopy(this.carried, 0, bytes, 0, this.carried.length);
		part.getBytes(part.readerIndex(), bytes, this.carried.length, part.readableBytes());
		int complete = last ? bytes.length : completeLength(bytes);
		this.carried = (complete == bytes.length) ? NONE : Arrays.copyOfRange(bytes, complete, bytes.length);
		return new String(bytes, 0, complete, StandardCharsets.UTF_8);
	}

	// Where the last character that has all its bytes ends: before a lead byte whose sequence is cut off.
	private static int completeLength(byte[] bytes) {
		for (int back = 1; back <= Math.min(3, bytes.length); back++) {
			int b = bytes[bytes.length - back] & 0xFF;
			if ((b & 0xC0) == 0x80) {
				continue; // a continuation byte: look further back for its lead
			}
			int needed = (b >= 0xF0) ? 4 : (b >= 0xE0) ? 3 : (b >= 0xC0) ? 2 : 1;
			return (needed > back) ? bytes.length - back : bytes.length;
		}
		return bytes.length;
	}

}
