package org.arvados.events.sample.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.pull.PullListener;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /stream} over plain HTTP: what it sends, that a browser that falls behind is told what it missed, and
 * that a browser that leaves leaves no pull listener behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ARVADOS_API_HOST=", "sample.live.capacity=4" })
class LiveStreamTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	FakeArvadosCluster cluster;

	@Autowired
	ArvadosEventListeners listeners;

	@Autowired
	LiveViewers viewers;

	private final List<EventStream> streams = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeStreams() {
		this.streams.forEach(EventStream::close);
	}

	@Test
	void sendsTheStateThenEachEvent() throws Exception {
		EventStream stream = open();
		assertThat(stream.response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		await().atMost(WAIT).until(() -> stream.has("state", "\"phase\":\"LIVE\"", "\"mode\":\"WEBSOCKET\""));
		LogEntry event = this.cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of());
		await().atMost(WAIT).until(() -> stream.has("arvados", "\"id\":" + event.id() + ",", "\"type\":\"create\"",
				"\"kind\":\"arvados#collection\"", "\"objectUuid\":\"" + event.objectUuid() + "\""));
	}

	@Test
	void saysHowManyEventsABrowserThatFellBehindMissed() throws Exception {
		EventStream stream = open();
		await().atMost(WAIT).until(() -> stream.has("state", "\"phase\":\"LIVE\""));
		// Far more than its queue holds (4 here) between two ticks of the pump.
		for (int i = 0; i < 100; i++) {
			this.cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
		}
		await().atMost(WAIT).until(() -> stream.has("dropped", "\"dropped\":"));
	}

	@Test
	void aBrowserThatLeavesLeavesNoListenerBehind() throws Exception {
		EventStream stream = open();
		await().atMost(WAIT).until(() -> stream.has("state", "\"phase\""));
		assertThat(pageListeners()).isPositive();
		assertThat(this.viewers.size()).isPositive();
		closeStreams();
		// The server notices at its next write: an event, or the heartbeat.
		await().atMost(WAIT).until(() -> {
			this.cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			return pageListeners() == 0 && this.viewers.size() == 0;
		});
	}

	private long pageListeners() {
		return this.listeners.openListeners()
			.stream()
			.map(PullListener::name)
			.filter((name) -> name.startsWith("live-page-"))
			.count();
	}

	private EventStream open() throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/stream"))
			.header("Accept", "text/event-stream")
			.build();
		EventStream stream = new EventStream(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
		this.streams.add(stream);
		return stream;
	}

	/** An open {@code /stream}, its lines read as they come on a thread of its own. */
	private static final class EventStream {

		final HttpResponse<InputStream> response;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		EventStream(HttpResponse<InputStream> response) {
			this.response = response;
			Thread reader = new Thread(this::read, "stream-reader");
			reader.setDaemon(true);
			reader.start();
		}

		private void read() {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					this.lines.add(line);
				}
			}
			catch (IOException | UncheckedIOException ex) {
				// Closed by the test.
			}
		}

		/** Whether a message of this name arrived whose data contains each of the parts. */
		boolean has(String name, String... parts) {
			List<String> seen = List.copyOf(this.lines);
			for (int i = 0; i + 1 < seen.size(); i++) {
				if (seen.get(i).equals("event:" + name) && seen.get(i + 1).startsWith("data:")
						&& Arrays.stream(parts).allMatch(seen.get(i + 1)::contains)) {
					return true;
				}
			}
			return false;
		}

		void close() {
			try {
				this.response.body().close();
			}
			catch (IOException ex) {
				// Gone already.
			}
		}

	}

}
