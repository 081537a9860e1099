package org.arvados.events.transport.netty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The frames of the server as the Netty client reads them: whole when short, in parts when long, and a protocol
 * error for what RFC 6455 forbids. No socket: bytes written into an {@link EmbeddedChannel}.
 */
class StreamingFrameDecoderTests {

	private final EmbeddedChannel channel = new EmbeddedChannel(new StreamingFrameDecoder());

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void aShortFrameComesWholeAlsoWhenItsBytesArriveOneByOne() {
		byte[] frame = frame(0x81, "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < frame.length - 1; i++) {
			this.channel.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
			assertThat((Object) this.channel.readInbound()).isNull();
		}
		this.channel.writeInbound(Unpooled.wrappedBuffer(frame, frame.length - 1, 1));
		TextWebSocketFrame text = this.channel.readInbound();
		assertThat(text.isFinalFragment()).isTrue();
		assertThat(text.text()).isEqualTo("{\"id\":1}");
		text.release();
	}

	@Test
	void aFrameLargerThanAnyLimitIsHandedOnInPartsAsItArrives() {
		// 300 MiB announced; a 1 MiB buffer written again and again, so the test holds no more than the decoder does.
		long length = 300L << 20;
		ByteBuf header = Unpooled.buffer(10).writeByte(0x81).writeByte(127).writeLong(length);
		this.channel.writeInbound(header);
		ByteBuf chunk = Unpooled.directBuffer(1 << 20).writeZero(1 << 20);
		long handedOn = 0;
		int parts = 0;
		boolean last = false;
		for (long written = 0; written < length; written += chunk.readableBytes()) {
			this.channel.writeInbound(chunk.retainedDuplicate());
			for (WebSocketFrame part = this.channel.readInbound(); part != null; part = this.channel.readInbound()) {
				assertThat(part).isInstanceOf((parts == 0) ? TextWebSocketFrame.class : ContinuationWebSocketFrame.class);
				assertThat(part.content().readableBytes()).isEqualTo(StreamingFrameDecoder.PART);
				assertThat(last).as("nothing after the last part").isFalse();
				last = part.isFinalFragment();
				handedOn += part.content().readableBytes();
				parts++;
				part.release();
			}
			assertThat(handedOn).as("handed on as it arrives").isEqualTo(written + chunk.readableBytes());
		}
		chunk.release();
		assertThat(last).isTrue();
		assertThat(parts).isEqualTo((int) (length / StreamingFrameDecoder.PART));
	}

	@Test
	void aFragmentedMessageKeepsItsOrderAroundAPingAndAnEmptyFrameEndsIt() {
		this.channel.writeInbound(Unpooled.wrappedBuffer(frame(0x02, new byte[] { 1, 2 }), frame(0x89, new byte[] { 7 }),
				frame(0x00, new byte[] { 3 }), frame(0x80, new byte[0])));
		List<WebSocketFrame> frames = readAll();
		assertThat(frames).hasSize(4);
		assertThat(frames.get(0)).isInstanceOf(BinaryWebSocketFrame.class);
		assertThat(frames.get(0).isFinalFragment()).isFalse();
		assertThat(frames.get(1)).isInstanceOf(PingWebSocketFrame.class);
		assertThat(frames.get(2)).isInstanceOf(ContinuationWebSocketFrame.class);
		assertThat(frames.get(2).isFinalFragment()).isFalse();
		assertThat(frames.get(3)).isInstanceOf(ContinuationWebSocketFrame.class);
		assertThat(frames.get(3).isFinalFragment()).isTrue();
		assertThat(frames.get(3).content().readableBytes()).isZero();
		frames.forEach(WebSocketFrame::release);
	}

	@Test
	void aTextMessageCutInsideACharacterDecodesWhole() {
		byte[] text = "a€b😀c".getBytes(StandardCharsets.UTF_8);
		for (int cut = 1; cut < text.length; cut++) {
			for (int second = cut + 1; second <= text.length; second++) {
				Utf8Parts parts = new Utf8Parts();
				String joined = parts.decode(Unpooled.wrappedBuffer(text, 0, cut), false)
						+ parts.decode(Unpooled.wrappedBuffer(text, cut, second - cut), false)
						+ parts.decode(Unpooled.wrappedBuffer(text, second, text.length - second), true);
				assertThat(joined).as("cut at %d and %d", cut, second).isEqualTo("a€b😀c");
			}
		}
	}

	@Test
	void aCloseFrameEndsWhatIsRead() {
		this.channel.writeInbound(Unpooled.wrappedBuffer(frame(0x88, new byte[] { 0x03, (byte) 0xE8 }),
				frame(0x81, "after".getBytes(StandardCharsets.UTF_8))));
		List<WebSocketFrame> frames = readAll();
		assertThat(frames).hasSize(1);
		assertThat(((CloseWebSocketFrame) frames.get(0)).statusCode()).isEqualTo(1000);
		frames.forEach(WebSocketFrame::release);
	}

	@Test
	void whatTheProtocolForbidsIsAProtocolErrorAndNothingMoreIsRead() {
		assertProtocolError(frame(0x81, 0x80, new byte[] { 0, 0, 0, 0, 'x' }), "masked");
		assertProtocolError(frame(0xC1, "x".getBytes(StandardCharsets.UTF_8)), "reserved bits");
		assertProtocolError(frame(0x83, new byte[0]), "unknown opcode 3");
		assertProtocolError(frame(0x09, new byte[0]), "control frame fragmented");
		assertProtocolError(frame(0x89, new byte[126]), "over 125 bytes");
		assertProtocolError(frame(0x80, new byte[] { 1 }), "continuation frame outside a message");
		byte[] twoStarts = concat(frame(0x01, new byte[] { 'a' }), frame(0x81, new byte[] { 'b' }));
		assertProtocolError(twoStarts, "a new message before the last fragment");
	}

	private void assertProtocolError(byte[] bytes, String reason) {
		EmbeddedChannel fresh = new EmbeddedChannel(new StreamingFrameDecoder());
		try {
			assertThatExceptionOfType(CorruptedWebSocketFrameException.class)
				.isThrownBy(() -> fresh.writeInbound(Unpooled.wrappedBuffer(bytes)))
				.withMessageContaining(reason)
				.satisfies((ex) -> assertThat(ex.closeStatus().code()).isEqualTo(1002));
			fresh.writeInbound(Unpooled.wrappedBuffer(frame(0x81, "later".getBytes(StandardCharsets.UTF_8))));
			for (WebSocketFrame read = fresh.readInbound(); read != null; read = fresh.readInbound()) {
				assertThat(read.content().toString(StandardCharsets.UTF_8)).as("only what came before the error")
					.isNotEqualTo("later");
				read.release();
			}
		}
		finally {
			fresh.finishAndReleaseAll();
		}
	}

	private List<WebSocketFrame> readAll() {
		List<WebSocketFrame> frames = new ArrayList<>();
		for (WebSocketFrame frame = this.channel.readInbound(); frame != null; frame = this.channel.readInbound()) {
			frames.add(frame);
		}
		return frames;
	}

	private static byte[] frame(int first, byte[] payload) {
		return frame(first, 0, payload);
	}

	// An unmasked frame as the server writes it, the length in the shortest form; mask adds the MASK bit.
	private static byte[] frame(int first, int mask, byte[] payload) {
		int length = payload.length - ((mask != 0) ? 4 : 0);
		ByteBuf frame = Unpooled.buffer().writeByte(first);
		if (length < 126) {
			frame.writeByte(mask | length);
		}
		else {
			frame.writeByte(mask | 126).writeShort(length);
		}
		frame.writeBytes(payload);
		byte[] bytes = new byte[frame.readableBytes()];
		frame.readBytes(bytes);
		return bytes;
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
