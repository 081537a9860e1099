package org.arvados.events.transport.netty;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.arvados.events.transport.TokenSafeConnect;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.AbstractWebSocketClient;

/**
 * A Spring {@link org.springframework.web.socket.client.WebSocketClient WebSocketClient} on Netty's WebSocket codec,
 * for {@code arvados.events.websocket.client=netty}. Spring has a servlet-stack client only for JSR-356 containers
 * (and a reactive one for Reactor Netty, which the starter's handlers do not speak); this one is written by hand
 * because Netty with BoringSSL ({@code netty-tcnative-boringssl-static}) reads TLS events with the shortest tail
 * measured (see benchmarks/README.md).
 * <p>
 * Each connection has its own event-loop thread: a handler that blocks it (back-pressure) holds back that connection
 * alone. Frames are read as they arrive ({@link StreamingFrameDecoder}): a handler that
 * {@linkplain WebSocketHandler#supportsPartialMessages() takes partial messages} gets a long message in parts of up
 * to 64 KiB, its own bound on what it joins (no frame is too long to read); any other gets whole messages, joined by
 * Netty up to 2 GiB. Sending does not wait for the bytes to be written: a send from another thread runs
 * on the connection's thread, after whatever that thread is doing, and a failed write breaks the connection.
 */
public class NettyWebSocketClient extends AbstractWebSocketClient implements TokenSafeConnect {

	private static final ThreadFactory THREADS = new DefaultThreadFactory("arvados-websocket", true);

	private final @Nullable SslContext sslContext;

	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * A client.
	 * @param sslContext TLS for {@code wss://} URLs (its trust, and host-name verification unless the context was
	 * built without it); {@code null} for {@code ws://} only
	 */
	public NettyWebSocketClient(@Nullable SslContext sslContext) {
		Assert.isTrue(sslContext == null || sslContext.isClient(), "The SslContext must be a client context");
		this.sslContext = sslContext;
	}

	/**
	 * How long the TCP connection and, separately, the WebSocket handshake may take; 10 seconds by default.
	 * @param connectTimeout the timeout
	 */
	public void setConnectTimeout(Duration connectTimeout) {
		Assert.isTrue(!connectTimeout.isNegative() && !connectTimeout.isZero(), "connectTimeout must be positive");
		this.connectTimeout = connectTimeout;
	}

	@Override
	public CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, URI url) {
		assertUri(url);
		return executeInternal(handler, new HttpHeaders(), url, List.of(), List.of(), Map.of());
	}

	@Override
	protected CompletableFuture<WebSocketSession> executeInternal(WebSocketHandler handler, HttpHeaders headers,
			URI uri, List<String> subProtocols, List<WebSocketExtension> extensions, Map<String, Object> attributes) {
		boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
		SslContext tls = this.sslContext;
		if (secure && tls == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("No TLS context for a wss:// URL"));
		}
		String host = hostOf(uri);
		int port = (uri.getPort() != -1) ? uri.getPort() : (secure ? 443 : 80);
		int connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, this.connectTimeout.toMillis());
		DefaultHttpHeaders handshakeHeaders = new DefaultHttpHeaders();
		headers.forEach((name, values) -> handshakeHeaders.add(name, values));
		@Nullable String subprotocol = subProtocols.isEmpty() ? null
				: StringUtils.collectionToCommaDelimitedString(subProtocols);
		// What the protocol handler does beside the handshake; the URL, subprotocol and headers are the handshaker's.
		WebSocketClientProtocolConfig protocol = WebSocketClientProtocolConfig.newBuilder()
			.handshakeTimeoutMillis(connectTimeoutMillis)
			// Close frames go to the session, which reports their status and answers them.
			.handleCloseFrames(false)
			// Netty checks UTF-8 a byte at a time (46 % of the CPU for ~21 KiB events); the JDK's decoder that makes
			// the String replaces what is malformed, and the event's decoder then rejects it.
			.withUTF8Validator(false)
			.build();
		StreamingHandshaker handshaker = new StreamingHandshaker(uri, subprotocol, handshakeHeaders,
				protocol.forceCloseTimeoutMillis());
		boolean whole = !handler.supportsPartialMessages();
		EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, THREADS, NioIoHandler.newFactory());
		NettyWebSocketSession session = new NettyWebSocketSession(uri, attributes, handler);
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<SocketChannel>() {

				@Override
				protected void initChannel(SocketChannel channel) {
					ChannelPipeline pipeline = channel.pipeline();
					if (secure) {
						// The host name gives SNI and, unless the context turned it off, host-name verification.
						pipeline.addLast(tls.newHandler(channel.alloc(), host, port));
					}
					pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
							new WebSocketClientProtocolHandler(handshaker, protocol));
					if (whole) {
						pipeline.addLast(new WebSocketFrameAggregator(Integer.MAX_VALUE));
					}
					pipeline.addLast(session.handler());
				}

			});
		bootstrap.connect(host, port).addListener((connected) -> {
			if (!connected.isSuccess()) {
				session.failed(connected.cause());
			}
		}).channel().closeFuture().addListener((closed) -> loop.shutdownGracefully(0, 1, TimeUnit.SECONDS));
		return session.opened();
	}

	// An IPv6 literal comes in brackets.
	private static String hostOf(URI uri) {
		String host = uri.getHost();
		Assert.state(host != null, "The URL has no host");
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

}
