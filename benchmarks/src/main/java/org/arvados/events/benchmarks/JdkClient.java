package org.arvados.events.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/**
 * The JDK's own WebSocket client ({@code java.net.http}), reading frames and nothing more: a candidate to measure
 * against the Tomcat client the starter uses, behind no Spring interface (Spring has no adapter for it).
 */
final class JdkClient {

	private JdkClient() {
	}

	static String throughput(int port, SSLContext tls, long warmUp, long measured) throws Exception {
		long total = warmUp + measured;
		long[] marks = new long[4];
		CountDownLatch done = new CountDownLatch(1);
		read(port, tls, (text, n) -> {
			if (n == warmUp) {
				marks[0] = System.nanoTime();
				marks[1] = TlsClients.cpuNanos();
			}
			if (n == total) {
				marks[2] = System.nanoTime();
				marks[3] = TlsClients.cpuNanos();
				done.countDown();
			}
		});
		done.await(10, TimeUnit.MINUTES);
		return "{\"events\":" + measured + ",\"nanos\":" + (marks[2] - marks[0]) + ",\"cpuNanos\":" + (marks[3] - marks[1])
				+ "}";
	}

	static String latency(int port, SSLContext tls, long warmUp, int measured) throws Exception {
		Handlers.Latency latency = new Handlers.Latency(BlastServer.firstId() + warmUp, measured, System::nanoTime);
		read(port, tls, (text, n) -> {
			long now = System.nanoTime();
			int sent = text.indexOf("\"sent\":\"");
			int id = text.indexOf("\"id\":");
			latency.record(Long.parseLong(text, id + 5, id + 13, 10), now, Long.parseLong(text, sent + 8, sent + 27, 10));
		});
		double[] p = latency.awaitPercentiles();
		return String.format("{\"p50Micros\":%.0f,\"p99Micros\":%.0f,\"p999Micros\":%.0f,\"maxMicros\":%.0f}", p[0],
				p[1], p[2], p[3]);
	}

	interface Frames {

		void on(String text, long n);

	}

	private static void read(int port, SSLContext tls, Frames frames) throws Exception {
		HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
		WebSocket socket = client.newWebSocketBuilder()
			.buildAsync(URI.create("wss://127.0.0.1:" + port + "/websocket"), new WebSocket.Listener() {

				private final StringBuilder parts = new StringBuilder();

				private long seen;

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					String text;
					if (last && this.parts.length() == 0) {
						text = data.toString();
					}
					else {
						this.parts.append(data);
						if (!last) {
							webSocket.request(1);
							return null;
						}
						text = this.parts.toString();
						this.parts.setLength(0);
					}
					if (text.indexOf("\"id\":") >= 0) {
						frames.on(text, ++this.seen);
					}
					webSocket.request(1);
					return null;
				}

			})
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"method\":\"subscribe\",\"filters\":[]}", true);
	}

}
