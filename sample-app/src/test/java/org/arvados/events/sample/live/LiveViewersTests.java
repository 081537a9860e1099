package org.arvados.events.sample.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.pull.OverflowPolicy;
import org.arvados.events.pull.PullListener;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How many may watch {@code /stream}, and that none of them can hold up the others: over real HTTP on loopback,
 * with clients that stop reading.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ARVADOS_API_HOST=", "sample.live.max-viewers=3", "sample.live.capacity=16",
				"server.tomcat.connection-timeout=60s" })
class LiveViewersTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	// Well under the server's write timeout (60 s above): a write stuck on a client that does not read would still
	// be waiting when this runs out.
	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	FakeArvadosCluster cluster;

	@Autowired
	ArvadosEventListeners listeners;

	@Autowired
	LiveViewers viewers;

	private final List<EventStream> streams = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	// Each test starts with every place free: the server notices a client that left at its next write.
	@AfterEach
	void leave() {
		this.streams.forEach(EventStream::close);
		this.sockets.forEach(this::close);
		await().atMost(WAIT).until(() -> {
			emit();
			return this.viewers.size() == 0;
		});
	}

	@Test
	void beyondTheCapANewViewerIsTurnedAwayUntilOneLeaves() throws Exception {
		for (int i = 0; i < 3; i++) {
			open();
		}
		HttpResponse<InputStream> refused = EventStream.request(this.port);
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		try (InputStream body = refused.body()) {
			assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains("3 viewers")
				.hasSizeLessThan(200);
		}
		assertThat(this.viewers.size()).isEqualTo(3);

		this.streams.remove(0).close();
		await().atMost(WAIT).until(() -> {
			emit();
			HttpResponse<InputStream> response = EventStream.request(this.port);
			if (response.statusCode() != 200) {
				response.body().close();
				return false;
			}
			response.body().close();
			return true;
		});
	}

	@Test
	void clientsThatDoNotReadDoNotHoldUpAViewerThatDoes() throws Exception {
		Socket first = stuck();
		Socket second = stuck();
		EventStream reading = open();
		await().atMost(WAIT).until(() -> this.viewers.size() == 3);
		// Enough to fill what the two sockets, the kernel and Tomcat buffer (the server's send buffer is small
		// here, see below), many times over.
		for (int i = 0; i < 1000; i++) {
			emit();
		}
		for (int i = 0; i < 3; i++) {
			LogEntry next = emit();
			await().atMost(PROMPTLY).until(() -> reading.has("arvados", "\"id\":" + next.id() + ","));
		}
		assertThat(first.isClosed() || second.isClosed()).as("the test's own sockets").isFalse();
	}

	@Test
	void theDispatchingThreadHandsEachEventToOneBoundedQueueWhateverTheNumberOfViewers() throws Exception {
		assertThat(pageListeners()).hasSize(1);
		open();
		open();
		stuck();
		await().atMost(WAIT).until(() -> this.viewers.size() == 3);
		// The pull listeners are what the dispatching thread shows each event to (ArvadosEventListeners.deliver):
		// one for the page, bounded, that never makes it wait.
		assertThat(pageListeners()).singleElement().satisfies((listener) -> {
			assertThat(listener.capacity()).isEqualTo(16);
			assertThat(listener.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
		});
	}

	@Test
	void aViewerThatFallsBehindHasEventsDroppedAndCounted() throws Exception {
		stuck();
		await().atMost(WAIT).until(() -> this.viewers.size() == 1);
		await().atMost(WAIT).until(() -> {
			for (int i = 0; i < 100; i++) {
				emit();
			}
			return this.viewers.dropped() > 0;
		});
	}

	private List<PullListener> pageListeners() {
		return this.listeners.openListeners()
			.stream()
			.filter((listener) -> listener.name().startsWith("live-page"))
			.toList();
	}

	private LogEntry emit() {
		return this.cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
	}

	private EventStream open() throws IOException, InterruptedException {
		EventStream stream = EventStream.open(this.port);
		this.streams.add(stream);
		return stream;
	}

	// A client that asks for the stream and never reads a byte of it, with as little room to receive as the
	// kernel allows.
	private Socket stuck() throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(1024);
		socket.connect(new InetSocketAddress("127.0.0.1", this.port));
		OutputStream out = socket.getOutputStream();
		out.write(("GET /stream HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\nAccept: text/event-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		this.sockets.add(socket);
		return socket;
	}

	private void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Gone already.
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SmallSendBuffer {

		// Over loopback the kernel grows a connection's send buffer to megabytes; a fixed small one fills after a
		// few hundred events, as the buffers of a slow link would.
		@Bean
		TomcatConnectorCustomizer smallSendBuffer() {
			return (connector) -> connector.setProperty("socket.txBufSize", "4096");
		}

	}

}
