package org.arvados.events.transport.netty;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.SelfSignedCertificate;
import org.arvados.events.transport.SecretRedactor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Netty client against the fake cluster's real WebSocket server on loopback, over TLS where it matters.
 */
class NettyWebSocketClientTests {

	private static final String TOKEN = "v2/zzzzz-gj3su-n3ttyt0k3n0000/Netty-s3cr3t-Token";

	private static final String SUBSCRIBE = "{\"method\":\"subscribe\",\"filters\":[]}";

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static SelfSignedCertificate certificate;

	@BeforeAll
	static void generateCertificate() {
		certificate = SelfSignedCertificate.generate();
	}

	@Test
	void readsAndWritesOverBoringSslWithTheTokenInTheQueryOnly() throws Exception {
		assertThat(OpenSsl.isAvailable()).as("BoringSSL from netty-tcnative-boringssl-static").isTrue();
		try (FakeArvadosCluster cluster = tlsCluster()) {
			Recording handler = new Recording();
			WebSocketSession session = connect(new NettyWebSocketClient(trusting(SslProvider.OPENSSL)),
					cluster, handler);
			assertThat(handler.opened).isSameAs(session);
			session.sendMessage(new TextMessage(SUBSCRIBE));
			assertThat(handler.next()).contains("\"status\":200");
			LogEntry event = emit(cluster);
			assertThat(handler.next()).contains("\"id\":" + event.id());
			assertThat(cluster.tokensSeen()).containsExactly(TOKEN);
			assertThat(cluster.clientMessages()).containsExactly(SUBSCRIBE);
			assertThat(session.toString()).doesNotContain("s3cr3t");
			session.close();
			assertThat(handler.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(CloseStatus.NORMAL);
		}
	}

	@Test
	void theJdksTlsServesWhenBoringSslIsNotThere() throws Exception {
		try (FakeArvadosCluster cluster = tlsCluster()) {
			Recording handler = new Recording();
			WebSocketSession session = connect(new NettyWebSocketClient(trusting(SslProvider.JDK)), cluster,
					handler);
			session.sendMessage(new TextMessage(SUBSCRIBE));
			assertThat(handler.next()).contains("\"status\":200");
		}
	}

	@Test
	void anUntrustedCertificateFailsTheConnectAndIsSaidInWords() throws Exception {
		try (FakeArvadosCluster cluster = tlsCluster()) {
			SslContext systemTrust = SslContextBuilder.forClient().build();
			CompletableFuture<WebSocketSession> connecting = new NettyWebSocketClient(systemTrust)
				.connect(new Recording(), withToken(cluster));
			Throwable failure = failureOf(connecting);
			assertThat(new SecretRedactor(TOKEN).describe(failure)).startsWith("TLS handshake failed");
			assertThat(cluster.connectionsAccepted()).isZero();
		}
	}

	@Test
	void aRefusedHandshakeFailsTheConnectWithoutTheToken() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().token(TOKEN).start()) {
			cluster.setRefuseConnections(true);
			Throwable failure = failureOf(new NettyWebSocketClient(null).connect(new Recording(),
					withToken(cluster)));
			assertThat(failure).isInstanceOf(WebSocketClientHandshakeException.class).hasMessageContaining("503");
			assertThat(new SecretRedactor("unused").describe(failure)).doesNotContain("s3cr3t");
		}
	}

	@Test
	void aClosedPortIsSaidInWords() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Throwable failure = failureOf(new NettyWebSocketClient(null).connect(new Recording(),
				URI.create("ws://127.0.0.1:" + port + "/websocket?api_token=x")));
		assertThat(new SecretRedactor("x").describe(failure)).startsWith("connection refused");
	}

	@Test
	void theServersCloseIsReportedWithItsStatusAndADropAs1006() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().token(TOKEN).start()) {
			Recording closed = new Recording();
			subscribed(new NettyWebSocketClient(null), cluster, closed);
			cluster.closeConnections();
			assertThat(closed.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode()).isEqualTo(1000);

			Recording dropped = new Recording();
			WebSocketSession session = subscribed(new NettyWebSocketClient(null), cluster, dropped);
			cluster.dropConnections();
			assertThat(dropped.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(CloseStatus.NO_CLOSE_FRAME);
			assertThat(session.isOpen()).isFalse();
		}
	}

	@Test
	void aMessageOfManyMegabytesArrivesWholeOrInPartsCutBetweenCharacters() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().token(TOKEN).start()) {
			// Three bytes a character, so that parts of 64 KiB end inside one.
			String huge = "{\"padding\":\"" + "€".repeat(5 << 19) + "\"}";
			Recording whole = new Recording();
			subscribed(new NettyWebSocketClient(null), cluster, whole);
			Parts parts = new Parts();
			subscribed(new NettyWebSocketClient(null), cluster, parts);
			cluster.sendRaw(huge);
			assertThat(whole.next()).isEqualTo(huge);
			String joined = parts.nextWhole();
			assertThat(joined).isEqualTo(huge);
			assertThat(parts.count).as("parts of a %d-byte frame", huge.getBytes(StandardCharsets.UTF_8).length)
				.isGreaterThan(100);
			// A part, with the bytes of a character that the part before ended inside.
			assertThat(parts.largest).isLessThanOrEqualTo(StreamingFrameDecoder.PART + 3);
		}
	}

	@Test
	void aSendDoesNotWaitForTheHandlerThatHoldsTheConnection() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().token(TOKEN).start()) {
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Recording handler = new Recording() {

				@Override
				public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
					if (message.getPayload().equals("{\"hold\":true}")) {
						entered.countDown();
						release.await();
					}
					super.handleMessage(session, message);
				}

			};
			WebSocketSession session = subscribed(new NettyWebSocketClient(null), cluster, handler);
			cluster.sendRaw("{\"hold\":true}");
			assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			// The handler holds the connection's only thread; the send from here must return all the same.
			CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
				try {
					session.sendMessage(new TextMessage(SUBSCRIBE));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(cluster.clientMessages()).containsExactly(SUBSCRIBE);
			release.countDown();
			await().atMost(WAIT).until(() -> cluster.clientMessages().size() == 2);
			assertThat(handler.next()).isEqualTo("{\"hold\":true}");
		}
	}

	private static FakeArvadosCluster tlsCluster() {
		return FakeArvadosCluster.builder().token(TOKEN).tls(certificate.serverContext()).start();
	}

	private static SslContext trusting(SslProvider provider) throws Exception {
		return SslContextBuilder.forClient().sslProvider(provider).trustManager(certificate.certificate()).build();
	}

	private static URI withToken(FakeArvadosCluster cluster) {
		return URI.create(cluster.websocketUrl() + "?api_token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8));
	}

	private static WebSocketSession connect(NettyWebSocketClient client, FakeArvadosCluster cluster,
			Recording handler) throws Exception {
		return client.connect(handler, withToken(cluster)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	// Connected and subscribed: the server counts the connection among those it sends to.
	private static WebSocketSession subscribed(NettyWebSocketClient client, FakeArvadosCluster cluster,
			Recording handler) throws Exception {
		WebSocketSession session = connect(client, cluster, handler);
		session.sendMessage(new TextMessage(SUBSCRIBE));
		assertThat(handler.next()).contains("\"status\":200");
		return session;
	}

	private static Throwable failureOf(CompletableFuture<WebSocketSession> connecting) {
		return assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
			.actual()
			.getCause();
	}

	private static LogEntry emit(FakeArvadosCluster cluster) {
		return cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of("new_attributes", Map.of("name", "n")));
	}

	static class Recording implements WebSocketHandler {

		final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

		final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

		volatile @Nullable WebSocketSession opened;

		String next() throws InterruptedException {
			String message = this.messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(message).as("a message within " + WAIT).isNotNull();
			return message;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			this.opened = session;
		}

		@Override
		public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
			this.messages.add((String) message.getPayload());
		}

		@Override
		public void handleTransportError(WebSocketSession session, Throwable exception) {
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
			this.closed.complete(closeStatus);
		}

		@Override
		public boolean supportsPartialMessages() {
			return false;
		}

	}

	/** Takes messages in parts, as the starter's connection does, and joins them. */
	static class Parts extends Recording {

		private final StringBuilder joining = new StringBuilder();

		volatile int count;

		volatile int largest;

		String nextWhole() throws InterruptedException {
			String message;
			do {
				message = next();
			}
			while (message.contains("\"status\":200"));
			return message;
		}

		@Override
		public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
			String part = (String) message.getPayload();
			this.count++;
			this.largest = Math.max(this.largest, part.getBytes(StandardCharsets.UTF_8).length);
			this.joining.append(part);
			if (message.isLast()) {
				this.messages.add(this.joining.toString());
				this.joining.setLength(0);
			}
		}

		@Override
		public boolean supportsPartialMessages() {
			return true;
		}

	}

}
