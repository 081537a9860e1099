package org.arvados.events.benchmarks;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Netty's WebSocket client over BoringSSL ({@code netty-tcnative-boringssl-static}) on one event-loop thread,
 * reading frames as text and nothing more: a candidate measured against the Tomcat client the starter uses, as
 * the issue asks (Spring has no servlet-stack {@code WebSocketClient} for Netty; the starter would need its own
 * {@code WebSocketTransport}).
 */
final class NettyClient {

	private static final int MAX_FRAME = 64 * 1024 * 1024;

	private NettyClient() {
	}

	static String throughput(int port, Path ca, long warmUp, long measured) throws Exception {
		Handlers.Counting counter = new Handlers.Counting(warmUp, measured);
		EventLoopGroup group = read(port, ca, (text) -> counter.count());
		try {
			return counter.awaitResult();
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

	static String latency(int port, Path ca, long warmUp, int measured) throws Exception {
		Handlers.Latency latency = new Handlers.Latency(BlastServer.firstId() + warmUp, measured, System::nanoTime);
		EventLoopGroup group = read(port, ca, (text) -> latency.recordText(text, System.nanoTime()));
		try {
			return latency.awaitResult();
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

	// Each whole text frame that is an event, to the consumer, on the event loop's thread.
	private static EventLoopGroup read(int port, Path ca, Consumer<String> frames) throws Exception {
		if (!OpenSsl.isAvailable()) {
			throw new IllegalStateException("BoringSSL is not available", OpenSsl.unavailabilityCause());
		}
		SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).trustManager(ca.toFile()).build();
		URI uri = URI.create("wss://127.0.0.1:" + port + "/websocket");
		CompletableFuture<Channel> subscribed = new CompletableFuture<>();
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {

			@Override
			protected void initChannel(SocketChannel channel) {
				channel.pipeline()
					.addLast(tls.newHandler(channel.alloc(), "127.0.0.1", port), new HttpClientCodec(),
							new HttpObjectAggregator(8192),
							new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
								.webSocketUri(uri)
								.version(WebSocketVersion.V13)
								.maxFramePayloadLength(MAX_FRAME)
								// Netty checks UTF-8 a byte at a time: 46 % of the CPU for ~21 KiB events. The text is
								// decoded by the JDK's decoder anyway.
								.withUTF8Validator(false)
								.build()),
							new WebSocketFrameAggregator(MAX_FRAME), new SimpleChannelInboundHandler<TextWebSocketFrame>() {

								@Override
								public void userEventTriggered(ChannelHandlerContext context, Object event) {
									if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
										context.writeAndFlush(
												new TextWebSocketFrame("{\"method\":\"subscribe\",\"filters\":[]}"));
										subscribed.complete(context.channel());
									}
									context.fireUserEventTriggered(event);
								}

								@Override
								protected void channelRead0(ChannelHandlerContext context, TextWebSocketFrame frame) {
									String text = frame.text();
									if (text.indexOf("\"id\":") >= 0) {
										frames.accept(text);
									}
								}

							});
			}

		}).connect("127.0.0.1", port).sync();
		subscribed.get(10, TimeUnit.SECONDS);
		return group;
	}

}
