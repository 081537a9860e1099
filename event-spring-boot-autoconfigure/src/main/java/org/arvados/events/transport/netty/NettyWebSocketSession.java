package org.arvados.events.transport.netty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.arvados.events.transport.HandshakeRedirectException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.adapter.AbstractWebSocketSession;

/**
 * A {@link org.springframework.web.socket.WebSocketSession WebSocketSession} on a Netty channel. Its handler runs on
 * the channel's event-loop thread; everything it is told arrives in order and once: open (or the failure to open),
 * messages, then one close.
 */
final class NettyWebSocketSession extends AbstractWebSocketSession<Channel> {

	private final String id = idGenerator.generateId().toString();

	private final URI uri;

	private final WebSocketHandler handler;

	private final CompletableFuture<org.springframework.web.socket.WebSocketSession> opened = new CompletableFuture<>();

	// The status of the close frame sent or received first; none when the connection just broke.
	private volatile @Nullable CloseStatus closeStatus;

	private int textMessageSizeLimit = Integer.MAX_VALUE;

	private int binaryMessageSizeLimit = Integer.MAX_VALUE;

	NettyWebSocketSession(URI uri, Map<String, Object> attributes, WebSocketHandler handler) {
		super(attributes);
		this.uri = uri;
		this.handler = handler;
	}

	CompletableFuture<org.springframework.web.socket.WebSocketSession> opened() {
		return this.opened;
	}

	void failed(Throwable cause) {
		this.opened.completeExceptionally(redirectOr(cause));
	}

	// Netty's handshaker follows no redirect; say where one pointed, without the query its Location may carry.
	private Throwable redirectOr(Throwable cause) {
		if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null
				&& handshake.response().status().codeClass() == HttpStatusClass.REDIRECTION) {
			return new HandshakeRedirectException(handshake.response().status().code(),
					handshake.response().headers().get(HttpHeaderNames.LOCATION));
		}
		return cause;
	}

	ChannelHandler handler() {
		return new FrameHandler();
	}

	@Override
	public String getId() {
		return this.id;
	}

	/** The URL the connection was opened with, which may hold the API token. */
	@Override
	public URI getUri() {
		return this.uri;
	}

	@Override
	public HttpHeaders getHandshakeHeaders() {
		return new HttpHeaders();
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return null;
	}

	@Override
	public @Nullable InetSocketAddress getLocalAddress() {
		return address(getNativeSession().localAddress());
	}

	@Override
	public @Nullable InetSocketAddress getRemoteAddress() {
		return address(getNativeSession().remoteAddress());
	}

	private static @Nullable InetSocketAddress address(@Nullable SocketAddress address) {
		return (address instanceof InetSocketAddress inet) ? inet : null;
	}

	@Override
	public @Nullable String getAcceptedProtocol() {
		return null;
	}

	@Override
	public void setTextMessageSizeLimit(int messageSizeLimit) {
		this.textMessageSizeLimit = messageSizeLimit;
	}

	@Override
	public int getTextMessageSizeLimit() {
		return this.textMessageSizeLimit;
	}

	@Override
	public void setBinaryMessageSizeLimit(int messageSizeLimit) {
		this.binaryMessageSizeLimit = messageSizeLimit;
	}

	@Override
	public int getBinaryMessageSizeLimit() {
		return this.binaryMessageSizeLimit;
	}

	@Override
	public List<WebSocketExtension> getExtensions() {
		return List.of();
	}

	@Override
	public boolean isOpen() {
		return this.closeStatus == null && getNativeSession().isActive();
	}

	@Override
	protected void sendTextMessage(TextMessage message) throws IOException {
		send(new TextWebSocketFrame(message.isLast(), 0, message.getPayload()));
	}

	@Override
	protected void sendBinaryMessage(BinaryMessage message) throws IOException {
		send(new BinaryWebSocketFrame(message.isLast(), 0, Unpooled.wrappedBuffer(message.getPayload())));
	}

	@Override
	protected void sendPingMessage(PingMessage message) throws IOException {
		send(new PingWebSocketFrame(Unpooled.wrappedBuffer(message.getPayload())));
	}

	@Override
	protected void sendPongMessage(PongMessage message) throws IOException {
		send(new PongWebSocketFrame(Unpooled.wrappedBuffer(message.getPayload())));
	}

	// No wait for the write: the event-loop thread may be held by this very connection's handler (back-pressure),
	// and a sender that waited for it could wait for the handler it is called from. A write that fails breaks the
	// connection, which the handler hears as a transport error and a close.
	private void send(WebSocketFrame frame) throws IOException {
		Channel channel = getNativeSession();
		if (!isOpen()) {
			frame.release();
			throw new IOException("The WebSocket connection is closed");
		}
		channel.writeAndFlush(frame).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
	}

	@Override
	protected void closeInternal(CloseStatus status) {
		Channel channel = getNativeSession();
		if (this.closeStatus == null) {
			this.closeStatus = status;
			CloseWebSocketFrame frame = new CloseWebSocketFrame(status.getCode(), status.getReason());
			channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
		}
	}

	// Never the URL: it may hold the token.
	@Override
	public String toString() {
		return "NettyWebSocketSession[id=" + this.id + "]";
	}

	private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

		private boolean open;

		/** The text message whose parts arrive now; {@code null} between messages and in a binary one. */
		private @Nullable Utf8Parts textParts;

		@Override
		public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
			if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				initializeNativeSession(context.channel());
				this.open = true;
				try {
					NettyWebSocketSession.this.handler.afterConnectionEstablished(NettyWebSocketSession.this);
				}
				catch (Exception ex) {
					failed(ex);
					context.close();
					return;
				}
				NettyWebSocketSession.this.opened.complete(NettyWebSocketSession.this);
			}
			else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				failed(new IOException("The WebSocket handshake timed out"));
				context.close();
			}
			super.userEventTriggered(context, event);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) throws Exception {
			if (frame instanceof CloseWebSocketFrame close) {
				received(context, close);
				return;
			}
			WebSocketMessage<?> message = message(frame);
			if (message != null) {
				NettyWebSocketSession.this.handler.handleMessage(NettyWebSocketSession.this, message);
			}
		}

		// A message whole, or one part of it (see StreamingFrameDecoder): the first part says whether it is text.
		private @Nullable WebSocketMessage<?> message(WebSocketFrame frame) {
			boolean last = frame.isFinalFragment();
			if (frame instanceof TextWebSocketFrame text) {
				if (last) {
					// Its bytes kept with its text: the decoder reads them, not the text's encoding again.
					return new TextMessage(bytes(text.content()));
				}
				Utf8Parts parts = new Utf8Parts();
				this.textParts = parts;
				return new TextMessage(parts.decode(text.content(), false), false);
			}
			if (frame instanceof BinaryWebSocketFrame binary) {
				this.textParts = null;
				return new BinaryMessage(bytes(binary.content()), last);
			}
			if (frame instanceof ContinuationWebSocketFrame part) {
				Utf8Parts parts = this.textParts;
				if (last) {
					this.textParts = null;
				}
				return (parts != null) ? new TextMessage(parts.decode(part.content(), last), last)
						: new BinaryMessage(bytes(part.content()), last);
			}
			if (frame instanceof PongWebSocketFrame pong) {
				return new PongMessage(ByteBuffer.wrap(bytes(pong.content())));
			}
			return null;
		}

		private static byte[] bytes(ByteBuf content) {
			return ByteBufUtil.getBytes(content);
		}

		// Answer the server's close with its status, and report that status.
		private void received(ChannelHandlerContext context, CloseWebSocketFrame close) {
			int code = close.statusCode();
			CloseStatus status = (code < 0) ? CloseStatus.NO_STATUS_CODE : new CloseStatus(code, close.reasonText());
			if (NettyWebSocketSession.this.closeStatus == null) {
				NettyWebSocketSession.this.closeStatus = status;
				CloseWebSocketFrame answer = (code < 0) ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
				context.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
			}
			else {
				context.close();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) throws Exception {
			// The status to report: 1002 for a protocol error (StreamingFrameDecoder), 1009 for fragments that Netty's
			// aggregator (for a handler that takes no parts) would join to more than 2 GiB.
			if (NettyWebSocketSession.this.closeStatus == null) {
				if (cause instanceof CorruptedWebSocketFrameException corrupted) {
					WebSocketCloseStatus status = corrupted.closeStatus();
					NettyWebSocketSession.this.closeStatus = new CloseStatus(status.code(), status.reasonText());
				}
				else if (cause instanceof TooLongFrameException) {
					NettyWebSocketSession.this.closeStatus = CloseStatus.TOO_BIG_TO_PROCESS;
				}
			}
			try {
				if (this.open) {
					NettyWebSocketSession.this.handler.handleTransportError(NettyWebSocketSession.this, cause);
				}
				else {
					failed(cause);
				}
			}
			finally {
				context.close();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) throws Exception {
			if (this.open) {
				this.open = false;
				CloseStatus status = NettyWebSocketSession.this.closeStatus;
				NettyWebSocketSession.this.handler.afterConnectionClosed(NettyWebSocketSession.this,
						(status != null) ? status : CloseStatus.NO_CLOSE_FRAME);
			}
			else {
				failed(new IOException("The connection closed before the WebSocket handshake finished"));
			}
			super.channelInactive(context);
		}

	}

}
