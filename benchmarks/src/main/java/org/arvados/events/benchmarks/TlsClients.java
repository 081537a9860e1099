package org.arvados.events.benchmarks;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The Java clients of the TLS benchmark, each run in its own JVM by {@link TlsBenchmark}: the starter through an
 * {@code @EventHandler} (configured as a user would, with an SSL bundle naming the feed's certificate), the same
 * Tomcat client the starter uses reading and discarding frames, and the starter's latency at a fixed rate. Each
 * prints one {@code RESULT} line of JSON for the events after the warm-up, with the process's CPU time over them.
 */
final class TlsClients {

	private TlsClients() {
	}

	/**
	 * {@code --child KIND ENDPOINT_PORT CA WARMUP MEASURED}, KIND one of {@code starter}, {@code starter-direct},
	 * {@code starter-netty}, {@code raw}, {@code latency}, {@code latency-direct}, {@code latency-netty}, … (below).
	 */
	static void main(String[] args) throws Exception {
		String kind = args[1];
		int port = Integer.parseInt(args[2]);
		Path ca = Path.of(args[3]);
		long warmUp = Long.parseLong(args[4]);
		long measured = Long.parseLong(args[5]);
		String result = switch (kind) {
			case "starter" -> starter(port, ca, warmUp, measured, "queued", "tomcat");
			case "starter-direct" -> starter(port, ca, warmUp, measured, "direct", "tomcat");
			case "starter-netty" -> starter(port, ca, warmUp, measured, "direct", "netty");
			case "starter-netty-jdk" -> {
				// What the default would be on Netty's client, which needs no per-platform jar: dispatch queued,
				// and the JDK's TLS however netty-tcnative is on the class path.
				System.setProperty("io.netty.handler.ssl.noOpenSsl", "true");
				yield starter(port, ca, warmUp, measured, "queued", "netty");
			}
			case "raw" -> raw(port, ca, warmUp, measured);
			case "latency" -> latency(port, ca, warmUp, (int) measured, "queued", "tomcat");
			case "latency-direct" -> latency(port, ca, warmUp, (int) measured, "direct", "tomcat");
			case "latency-netty" -> latency(port, ca, warmUp, (int) measured, "direct", "netty");
			case "raw-latency" -> rawLatency(port, ca, warmUp, (int) measured);
			case "jdk" -> JdkClient.throughput(port, sslContext(ca), warmUp, measured);
			case "jdk-latency" -> JdkClient.latency(port, sslContext(ca), warmUp, (int) measured);
			case "netty" -> NettyClient.throughput(port, ca, warmUp, measured);
			case "netty-latency" -> NettyClient.latency(port, ca, warmUp, (int) measured);
			default -> throw new IllegalArgumentException("No client '" + kind + "'");
		};
		System.out.println("RESULT " + result);
		System.out.flush();
		System.exit(0);
	}

	static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static Map<String, String> properties(int port, Path ca, String dispatch, String client) {
		Map<String, String> properties = new HashMap<>();
		properties.put("arvados.events.endpoint", "https://127.0.0.1:" + port);
		properties.put("arvados.events.token", "benchmark");
		properties.put("arvados.events.transport", "websocket");
		properties.put("arvados.events.dispatch", dispatch);
		properties.put("arvados.events.websocket.client", client);
		properties.put("spring.ssl.bundle.pem.feed.truststore.certificate", "file:" + ca.toAbsolutePath());
		properties.put("arvados.events.ssl.bundle", "feed");
		properties.put("logging.level.org.arvados.events", "ERROR");
		return properties;
	}

	private static String starter(int port, Path ca, long warmUp, long measured, String dispatch, String client)
			throws Exception {
		Handlers.Counting counter = new Handlers.Counting(warmUp, measured);
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(counter,
				properties(port, ca, dispatch, client))) {
			return counter.awaitResult();
		}
	}

	private static String latency(int port, Path ca, long warmUp, int measured, String dispatch, String client)
			throws Exception {
		Handlers.Latency latency = new Handlers.Latency(BlastServer.firstId() + warmUp, measured, System::nanoTime);
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(latency,
				properties(port, ca, dispatch, client))) {
			return latency.awaitResult();
		}
	}

	// The floor of the starter's throughput: its Tomcat client, reading each frame and throwing it away.
	private static String raw(int port, Path ca, long warmUp, long measured) throws Exception {
		Handlers.Counting counter = new Handlers.Counting(warmUp, measured);
		subscribe(port, ca, new TextWebSocketHandler() {
			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) {
				if (!message.getPayload().startsWith("{\"status\"")) {
					counter.count();
				}
			}
		});
		return counter.awaitResult();
	}

	// The floor of the starter's latency: its Tomcat client, reading properties.sent out of the text, no more.
	private static String rawLatency(int port, Path ca, long warmUp, int measured) throws Exception {
		Handlers.Latency latency = new Handlers.Latency(BlastServer.firstId() + warmUp, measured, System::nanoTime);
		subscribe(port, ca, new TextWebSocketHandler() {
			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) {
				latency.recordText(message.getPayload(), System.nanoTime());
			}
		});
		return latency.awaitResult();
	}

	private static void subscribe(int port, Path ca, TextWebSocketHandler handler) throws Exception {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(64 * 1024);
		container.setDefaultMaxBinaryMessageBufferSize(64 * 1024);
		StandardWebSocketClient client = new StandardWebSocketClient(container);
		client.setSslContext(sslContext(ca));
		WebSocketSession session = client.execute(handler, "wss://127.0.0.1:" + port + "/websocket")
			.get(10, TimeUnit.SECONDS);
		session.sendMessage(new TextMessage("{\"method\":\"subscribe\",\"filters\":[]}"));
	}

	static SSLContext sslContext(Path ca) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		try (InputStream in = Files.newInputStream(ca)) {
			trust.setCertificateEntry("feed", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

}
