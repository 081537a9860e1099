package org.arvados.events.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

/**
 * The JDK's own WebSocket client ({@code java.net.http}), reading frames and nothing more: a candidate to measure
 * against the Tomcat client the starter uses, behind no Spring interface (Spring has no adapter for it).
 */
final class JdkClient {

	private JdkClient() {
	}

	static String throughput(int port, SSLContext tls, long warmUp, long measured) throws Exception {
		Handlers.Counting counter = new Handlers.Counting(warmUp, measured);
		read(port, tls, (text) -> counter.count());
		return counter.awaitResult();
	}

	static String latency(int port, SSLContext tls, long warmUp, int measured) throws Exception {
		Handlers.Latency latency = new Handlers.Latency(BlastServer.firstId() + warmUp, measured, System::nanoTime);
		read(port, tls, (text) -> latency.recordText(text, System.nanoTime()));
		return latency.awaitResult();
	}

	// Each whole text frame that is an event, to the consumer (the status reply is not).
	private static void read(int port, SSLContext tls, Consumer<String> frames) throws Exception {
		HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
		WebSocket socket = client.newWebSocketBuilder()
			.buildAsync(URI.create("wss://127.0.0.1:" + port + "/websocket"), new WebSocket.Listener() {

				private final StringBuilder parts = new StringBuilder();

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
						frames.accept(text);
					}
					webSocket.request(1);
					return null;
				}

			})
			.get(10, TimeUnit.SECONDS);
		socket.sendText("{\"method\":\"subscribe\",\"filters\":[]}", true);
	}

}
