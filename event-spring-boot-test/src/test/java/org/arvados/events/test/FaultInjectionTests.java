package org.arvados.events.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The ways the fake cluster misbehaves on purpose: closes with and without a close frame, queue
 * overflow, silence, refused handshakes, keepalives and raw frames.
 */
class FaultInjectionTests {

	@Test
	void keepalivesArriveWhileTheQueueIsIdle() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().keepaliveInterval(Duration.ofMillis(100)).start();
				TestWebSocketClient client = TestWebSocketClient.connect(cluster)) {
			client.send("{\"method\":\"subscribe\"}");
			// A keepalive may come before the reply, as from arvados-ws: its timer does not wait for the subscription.
			await().until(() -> client.messages().stream().filter("{}"::equals).count() >= 2
					&& client.messages().contains("{\"status\":200}"));
			assertThat(client.messages()).allMatch((message) -> message.equals("{}") || message.equals("{\"status\":200}"));
		}
	}

	@Test
	void aRevokedTokenGetsRepliesButNoEventsUntilRestored() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start();
				TestWebSocketClient client = TestWebSocketClient.connect(cluster)) {
			client.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			cluster.revokeToken();
			long dropped = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()).id();
			client.send("{\"method\":\"subscribe\",\"last_log_id\":" + (dropped - 1) + "}");
			assertThat(client.awaitMessages(2)).containsExactly("{\"status\":200}", "{\"status\":200}");
			cluster.restoreToken();
			long delivered = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()).id();
			assertThat(client.awaitMessages(3).get(2)).contains("\"id\":" + delivered + ",");
			assertThat(client.messages()).noneMatch((message) -> message.contains("\"id\":" + dropped + ","));
		}
	}

	// A cluster shared by the tests of a cached Spring context: one test's faults must not reach the next.
	@Test
	void resetHealsEveryFaultAndForgetsTheRecordsButKeepsTheLog() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			LogEntry before = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			try (TestWebSocketClient client = TestWebSocketClient.connect(cluster)) {
				client.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			}
			TestWebSocketClient silenced = TestWebSocketClient.connect(cluster);
			silenced.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			cluster.revokeToken();
			cluster.setRefuseConnections(true);
			cluster.setSilent(true);
			cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			cluster.failListRequests(5, 500);
			cluster.delayListRequests(Duration.ofSeconds(30));
			cluster.reset();
			// Silenced for good, it would hold its client until a heartbeat timeout: dropped, the client reconnects.
			assertThat(silenced.closeCode.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1006);
			silenced.close();
			assertThat(cluster.clientMessages()).isEmpty();
			assertThat(cluster.tokensSeen()).isEmpty();
			HttpResponse<String> list = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/arvados/v1/logs"))
					.header("Authorization", "Bearer " + cluster.token())
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(list.statusCode()).isEqualTo(200);
			assertThat(list.body()).contains("\"id\":" + before.id());
			assertThat(cluster.listRequests()).hasSize(1);
			try (TestWebSocketClient client = TestWebSocketClient.connect(cluster)) {
				client.send("{\"method\":\"subscribe\"}").awaitMessages(1);
				LogEntry after = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				assertThat(after.id()).isGreaterThan(before.id());
				assertThat(client.awaitMessages(2).get(1)).contains("\"id\":" + after.id() + ",");
			}
		}
	}

	@Test
	void dropConnectionsClosesWithoutACloseFrame() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start();
				TestWebSocketClient client = TestWebSocketClient.connect(cluster)) {
			client.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			cluster.dropConnections();
			// 1006 is what the JDK client reports when the TCP stream ends without a close frame
			assertThat(client.closeCode.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1006);
			await().until(() -> cluster.openConnections() == 0);
		}
	}

	@Test
	void closeConnectionsSendsCloseCode1000() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start();
				TestWebSocketClient client = TestWebSocketClient.connect(cluster)) {
			client.awaitMessages(0);
			await().until(() -> cluster.openConnections() == 1);
			cluster.closeConnections();
			assertThat(client.closeCode.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1000);
			await().until(() -> cluster.openConnections() == 0);
		}
	}

	@Test
	void aClientThatStopsReadingIsClosedWhenItsQueueOverflows() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().clientQueueCapacity(8).start();
				TestWebSocketClient reader = TestWebSocketClient.connect(cluster);
				TestWebSocketClient stalled = TestWebSocketClient.connect(cluster, HttpClient.newHttpClient(),
						cluster.websocketUrl() + "?api_token=" + cluster.token(), false)) {
			reader.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			stalled.send("{\"method\":\"subscribe\"}");
			await().until(() -> cluster.clientMessages().size() == 2);
			Map<String, Object> large = Map.of("text", "x".repeat(256 * 1024));
			String object = FakeArvadosCluster.uuid("dz642");
			// Paced by the reading client, so only a client that stops reading can fall behind.
			for (int i = 1; i <= 2000 && cluster.overflowCloses() == 0; i++) {
				cluster.emit("stderr", object, large);
				int expected = i + 1;
				await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
					.until(() -> reader.messageCount() == expected);
			}
			assertThat(cluster.overflowCloses()).isEqualTo(1);
			assertThat(cluster.log()).hasSizeGreaterThan(9);
			cluster.emit("stderr", object, large);  // a closing connection takes no more events
			assertThat(cluster.overflowCloses()).isEqualTo(1);
			assertThat(cluster.openConnections()).isEqualTo(1);
			stalled.startReading();
			assertThat(stalled.closeCode.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1000);
			assertThat(stalled.messages().get(0)).isEqualTo("{\"status\":200}");
			assertThat(stalled.messages().get(1)).contains("\"id\":1,\"msgID\":1,");
		}
	}

	@Test
	void aSilentConnectionStaysSilentButEventsAreStoredForTheNextOne() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder()
			.keepaliveInterval(Duration.ofMillis(50))
			.firstId(10)
			.start()) {
			// Silent before the socket opens: on a loaded machine a keepalive handed to the socket just before the
			// silence would still arrive.
			cluster.setSilent(true);
			try (TestWebSocketClient halfOpen = TestWebSocketClient.connect(cluster)) {
				halfOpen.send("{\"method\":\"subscribe\"}");
				LogEntry missed = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(halfOpen.messages()::isEmpty);
				cluster.setSilent(false);
				LogEntry later = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				try (TestWebSocketClient fresh = TestWebSocketClient.connect(cluster)) {
					fresh.send("{\"method\":\"subscribe\",\"last_log_id\":" + (missed.id() - 1) + "}");
					await().until(() -> fresh.messages().stream().anyMatch((frame) -> frame.contains("\"id\":" + missed.id() + ",")));
				}
				// A half-open socket does not come back: nothing, not even a keepalive, after the silence ends.
				await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(halfOpen.messages()::isEmpty);
				assertThat(cluster.log()).containsExactly(missed, later);
			}
		}
	}

	@Test
	void refusedHandshakesGet503AndOtherPaths404() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			HttpClient http = HttpClient.newHttpClient();
			cluster.setRefuseConnections(true);
			assertThatThrownBy(() -> TestWebSocketClient.connect(cluster, http, cluster.websocketUrl(), true))
				.isInstanceOf(CompletionException.class)
				.cause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(503));
			String elsewhere = cluster.websocketUrl().replace("/websocket", "/elsewhere");
			assertThatThrownBy(() -> TestWebSocketClient.connect(cluster, http, elsewhere, true))
				.cause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(404));
			assertThat(cluster.connectionsAccepted()).isZero();
			cluster.setRefuseConnections(false);
			try (TestWebSocketClient client = TestWebSocketClient.connect(cluster, http, cluster.websocketUrl(), true)) {
				client.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			}
			assertThat(cluster.connectionsAccepted()).isEqualTo(1);
			assertThat(cluster.tokensSeen()).containsExactly("");
		}
	}

	@Test
	void aWrongTokenIsSubscribedButGetsNoEvent() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start();
				TestWebSocketClient wrong = TestWebSocketClient.connect(cluster, HttpClient.newHttpClient(),
						cluster.websocketUrl() + "?api_token=not-" + cluster.token(), true);
				TestWebSocketClient right = TestWebSocketClient.connect(cluster)) {
			wrong.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			right.send("{\"method\":\"subscribe\"}").awaitMessages(1);
			cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			right.awaitMessages(2);
			wrong.send("{\"method\":\"subscribe\"}").awaitMessages(2);
			assertThat(wrong.messages()).containsExactly("{\"status\":200}", "{\"status\":200}");
		}
	}

	@Test
	void theV1EndpointClosesAtOnce() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start();
				TestWebSocketClient client = TestWebSocketClient.connect(cluster, HttpClient.newHttpClient(),
						URI.create(cluster.websocketUrl()).resolve("/arvados/v1/events.ws").toString(), true)) {
			assertThat(client.closeCode.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1000);
		}
	}

	@Test
	void rawFramesReachEveryConnection() {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start();
				TestWebSocketClient first = TestWebSocketClient.connect(cluster);
				TestWebSocketClient second = TestWebSocketClient.connect(cluster)) {
			await().until(() -> cluster.openConnections() == 2);
			cluster.sendRaw("{not json");
			assertThat(first.awaitMessages(1)).containsExactly("{not json");
			assertThat(second.awaitMessages(1)).containsExactly("{not json");
		}
	}

}
