package org.arvados.events.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A JDK WebSocket client recording what it receives, for asserting on the fake server's frames.
 * With {@code reading == false} it requests no messages, so it stops reading from the socket. A wait that times
 * out reports what the cluster's connections did.
 */
final class TestWebSocketClient implements WebSocket.Listener, AutoCloseable {

	private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

	final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	final CompletableFuture<Throwable> error = new CompletableFuture<>();

	private final FakeArvadosCluster cluster;

	private final boolean reading;

	private final StringBuilder partial = new StringBuilder();

	private WebSocket socket;

	private TestWebSocketClient(FakeArvadosCluster cluster, boolean reading) {
		this.cluster = cluster;
		this.reading = reading;
	}

	static TestWebSocketClient connect(FakeArvadosCluster cluster) {
		return connect(cluster, HttpClient.newHttpClient(), cluster.websocketUrl() + "?api_token=" + cluster.token(),
				true);
	}

	static TestWebSocketClient connect(FakeArvadosCluster cluster, HttpClient http, String url, boolean reading) {
		TestWebSocketClient client = new TestWebSocketClient(cluster, reading);
		client.socket = http.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create(url), client)
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
		return client;
	}

	TestWebSocketClient send(String text) {
		this.socket.sendText(text, true).join();
		return this;
	}

	/** A snapshot of the messages received so far. */
	List<String> messages() {
		synchronized (this.messages) {
			return List.copyOf(this.messages);
		}
	}

	int messageCount() {
		return this.messages.size();
	}

	/** Waits for at least {@code count} messages and returns the first {@code count}. */
	List<String> awaitMessages(int count) {
		try {
			await().atMost(Duration.ofSeconds(10))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> this.messages.size() >= count);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Waited for " + count + " messages, got " + messages() + "\n"
					+ this.cluster.describeConnections(), ex);
		}
		return messages().subList(0, count);
	}

	/** Lets a non-reading client read everything from now on. */
	void startReading() {
		this.socket.request(Long.MAX_VALUE);
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		if (this.reading) {
			webSocket.request(Long.MAX_VALUE);
		}
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.messages.add(this.partial.toString());
			this.partial.setLength(0);
		}
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.error.complete(error);
	}

	@Override
	public void close() {
		this.socket.abort();
	}

}
