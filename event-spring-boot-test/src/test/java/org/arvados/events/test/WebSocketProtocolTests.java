package org.arvados.events.test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.arvados.events.test.format.Timestamps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The v0 protocol as arvados-ws speaks it: replies, event frames, the filter subset, replay and
 * commit order, checked with the JDK's WebSocket client.
 */
class WebSocketProtocolTests {

	private static final String OWNER = "zzzzz-tpzed-xurymjxw79nv3jz";

	@RegisterExtension
	final FakeArvadosClusterExtension arvados = new FakeArvadosClusterExtension(
			FakeArvadosCluster.builder().firstId(100));

	private TestWebSocketClient client;

	@AfterEach
	void closeClient() {
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void subscribeIsAnsweredWithExactStatusBytesAndTheTokenIsRecorded(FakeArvadosCluster cluster) {
		this.client = TestWebSocketClient.connect(cluster).send("{\"method\":\"subscribe\"}");
		assertThat(this.client.awaitMessages(1)).containsExactly("{\"status\":200}");
		assertThat(cluster.tokensSeen()).containsExactly(cluster.token());
		assertThat(cluster.clientMessages()).containsExactly("{\"method\":\"subscribe\"}");
		assertThat(cluster.connectionsAccepted()).isEqualTo(1);
		assertThat(cluster.openConnections()).isEqualTo(1);
	}

	@Test
	void badMessagesGet400AndTheSocketStaysUsable(FakeArvadosCluster cluster) {
		this.client = TestWebSocketClient.connect(cluster);
		this.client.send("garbage").send("{\"21\":12}").send("{\"method\":\"subscribe\",\"last_log_id\":\"12\"}")
			.send("{\"method\":\"subscribe\",\"filters\":[\"event_type\"]}").send("[]")
			.send("{\"METHOD\":\"subscribe\",\"Filters\":[],\"ignored\":true}");
		assertThat(this.client.awaitMessages(6)).containsExactly("{\"status\":400}", "{\"status\":400}",
				"{\"status\":400}", "{\"status\":400}", "{\"status\":400}", "{\"status\":200}");
		assertThat(this.client.closeCode).isNotDone();
	}

	@Test
	void aSubscribeLargerThanGosReadBufferIsAnsweredWithTwo400s(FakeArvadosCluster cluster) {
		String types = "\"t\",".repeat(1100);
		String large = "{\"method\":\"subscribe\",\"filters\":[[\"event_type\",\"in\",[" + types + "\"t\"]]]}";
		this.client = TestWebSocketClient.connect(cluster).send(large).send("{\"method\":\"subscribe\"}");
		assertThat(large.length()).isBetween(4090, 8000);
		assertThat(this.client.awaitMessages(3)).containsExactly("{\"status\":400}", "{\"status\":400}",
				"{\"status\":200}");
	}

	@Test
	void eventFrameHasSortedKeysTrimmedTimeAndTrimmedAttributes(FakeArvadosCluster cluster) {
		this.client = TestWebSocketClient.connect(cluster).send("{\"method\":\"subscribe\"}");
		this.client.awaitMessages(1);
		String collection = FakeArvadosCluster.uuid("4zz18");
		Map<String, Object> oldAttributes = new LinkedHashMap<>();
		oldAttributes.put("name", "foo");
		oldAttributes.put("is_trashed", false);
		oldAttributes.put("manifest_text", ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:a\n");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("old_attributes", oldAttributes);
		properties.put("new_attributes", Map.of("name", "<bar & baz>", "state", "Committed", "version", 2));
		properties.put("old_etag", "abc");
		properties.put("new_etag", null);
		LogEntry entry = cluster.emit("update", collection, properties);
		assertThat(this.client.awaitMessages(2).get(1)).isEqualTo("{\"event_at\":\""
				+ Timestamps.rfc3339Trimmed(entry.eventAt()) + "\",\"event_type\":\"update\",\"id\":100,\"msgID\":1,"
				+ "\"object_kind\":\"arvados#collection\",\"object_owner_uuid\":\"" + OWNER + "\",\"object_uuid\":\""
				+ collection + "\",\"properties\":{\"new_attributes\":{\"name\":\"\\u003cbar \\u0026 baz\\u003e\","
				+ "\"state\":\"Committed\"},\"old_attributes\":{\"is_trashed\":false,\"name\":\"foo\"}},\"uuid\":\""
				+ entry.uuid() + "\"}");
		assertThat(entry.uuid()).matches("zzzzz-57u5n-[a-z0-9]{15}");
		assertThat(entry.objectKind()).isEqualTo("arvados#collection");
	}

	@Test
	void textPropertiesAreSentWholeAndNullAttributesOmitted(FakeArvadosCluster cluster) {
		this.client = TestWebSocketClient.connect(cluster).send("{\"method\":\"subscribe\"}");
		this.client.awaitMessages(1);
		String container = FakeArvadosCluster.uuid("dz642");
		cluster.emit("stderr", container, Map.of("text", "hello\n", "extra", 1));
		Map<String, Object> create = new LinkedHashMap<>();
		create.put("old_attributes", null);
		create.put("new_attributes", Map.of("state", "Queued", "priority", 1));
		cluster.emit("create", container, create);
		List<String> frames = this.client.awaitMessages(3);
		assertThat(frames.get(1)).contains("\"object_kind\":\"arvados#container\"")
			.contains("\"properties\":{\"extra\":1,\"text\":\"hello\\n\"}");
		assertThat(frames.get(2)).contains("\"properties\":{\"new_attributes\":{\"state\":\"Queued\"}}");
	}

	@Test
	void onlyEventTypeInAndCreatedAtFiltersAreApplied(FakeArvadosCluster cluster) {
		String watched = FakeArvadosCluster.uuid("4zz18");
		String other = FakeArvadosCluster.uuid("4zz18");
		this.client = TestWebSocketClient.connect(cluster)
			.send("{\"method\":\"subscribe\",\"filters\":[[\"object_uuid\",\"=\",\"" + watched + "\"],"
					+ "[\"event_type\",\"in\",[\"create\",7]],[\"event_type\",\"=\",\"update\"]]}");
		this.client.awaitMessages(1);
		cluster.emit("update", watched, Map.of());
		long create = cluster.emit("create", other, Map.of()).id();
		String future = Timestamps.rfc3339Trimmed(Instant.now().plusSeconds(3600));
		this.client.send("{\"method\":\"subscribe\",\"filters\":[[\"created_at\",\">=\",\"" + future + "\"]]}");
		// The second subscription is in place once its reply is here (>=: a stray frame shows in the asserts below).
		this.client.awaitMessages(3);
		cluster.emit("delete", watched, Map.of());
		long lastCreate = cluster.emit("create", watched, Map.of()).id();
		List<String> frames = this.client.awaitMessages(4);
		assertThat(frames.get(1)).contains("\"id\":" + create + ",");
		assertThat(frames.get(2)).isEqualTo("{\"status\":200}");
		assertThat(frames.get(3)).contains("\"id\":" + lastCreate + ",").contains("\"msgID\":2,");
	}

	@Test
	void overlappingSubscriptionsDeliverAnEventOnce(FakeArvadosCluster cluster) {
		this.client = TestWebSocketClient.connect(cluster).send("{\"method\":\"subscribe\"}")
			.send("{\"method\":\"subscribe\",\"filters\":[[\"event_type\",\"in\",[\"update\"]]]}");
		this.client.awaitMessages(2);
		cluster.emit("update", FakeArvadosCluster.uuid("j7d0g"), Map.of());
		cluster.emit("create", FakeArvadosCluster.uuid("j7d0g"), Map.of());
		List<String> frames = this.client.awaitMessages(4);
		assertThat(frames.get(2)).contains("\"id\":100,").contains("\"object_kind\":\"arvados#group\"");
		assertThat(frames.get(3)).contains("\"id\":101,");
		await().during(Duration.ofMillis(200)).until(() -> this.client.messageCount() == 4);
	}

	@Test
	void unsubscribeRemovesTheFirstDeeplyEqualSubscription(FakeArvadosCluster cluster) {
		this.client = TestWebSocketClient.connect(cluster)
			.send("{\"method\":\"subscribe\",\"filters\":[[\"event_type\",\"in\",[\"create\"]]]}")
			.send("{\"method\":\"unsubscribe\"}")
			.send("{\"method\":\"unsubscribe\",\"filters\":[[\"event_type\",\"in\",[\"create\"]],[]]}")
			.send("{\"method\":\"unsubscribe\",\"filters\":[[\"event_type\",\"in\",[\"create\"],\"extra\"]]}")
			.send("{\"method\":\"unsubscribe\",\"filters\":[[\"event_type\",\"in\",[\"create\"]]]}")
			.send("{\"method\":\"subscribe\",\"filters\":[]}")
			.send("{\"method\":\"unsubscribe\"}")
			.send("{\"method\":\"unsubscribe\",\"filters\":[]}");
		assertThat(this.client.awaitMessages(8)).containsExactly("{\"status\":200}", "{\"status\":400}",
				"{\"status\":400}", "{\"status\":200}", "{\"status\":400}", "{\"status\":200}", "{\"status\":400}",
				"{\"status\":200}");
	}

	@Test
	void replayStartsAfterLastLogIdAndFollowsTheStatusReply(FakeArvadosCluster cluster) {
		for (int i = 0; i < 4; i++) {
			cluster.emit((i % 2 == 0) ? "create" : "update", FakeArvadosCluster.uuid("xvhdp"), Map.of());
		}
		this.client = TestWebSocketClient.connect(cluster)
			.send("{\"method\":\"subscribe\",\"filters\":[[\"event_type\",\"in\",[\"create\"]]],\"last_log_id\":100}");
		List<String> frames = this.client.awaitMessages(2);
		assertThat(frames.get(0)).isEqualTo("{\"status\":200}");
		assertThat(frames.get(1)).contains("\"id\":102,").contains("\"msgID\":1,");
		this.client.send("{\"method\":\"subscribe\",\"last_log_id\":101}");
		assertThat(this.client.awaitMessages(5).subList(2, 5)).satisfiesExactly(
				(status) -> assertThat(status).isEqualTo("{\"status\":200}"),
				(first) -> assertThat(first).contains("\"id\":102,"), (second) -> assertThat(second).contains("\"id\":103,"));
	}

	@Test
	void replaySkipsRowsOlderThanTheWindow() throws InterruptedException {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().replayWindow(Duration.ofMillis(300)).start()) {
			cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of());
			Thread.sleep(400);  // the window is wall-clock time: letting it pass is the point
			cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			this.client = TestWebSocketClient.connect(cluster).send("{\"method\":\"subscribe\",\"last_log_id\":-1}");
			assertThat(this.client.awaitMessages(2).get(1)).contains("\"id\":2,");
			await().during(Duration.ofMillis(200)).until(() -> this.client.messageCount() == 2);
		}
	}

	@Test
	void eventsArriveInCommitOrderAndRolledBackIdsNever(FakeArvadosCluster cluster) {
		this.client = TestWebSocketClient.connect(cluster).send("{\"method\":\"subscribe\"}");
		this.client.awaitMessages(1);
		String object = FakeArvadosCluster.uuid("4zz18");
		Transaction first = cluster.begin("update", object, Map.of());
		Transaction second = cluster.begin("update", object, Map.of());
		Transaction rolledBack = cluster.begin("update", object, Map.of());
		assertThat(List.of(first.id(), second.id(), rolledBack.id())).containsExactly(100L, 101L, 102L);
		second.commit();
		rolledBack.rollback();
		first.commit();
		List<String> frames = this.client.awaitMessages(3);
		assertThat(frames.get(1)).contains("\"id\":101,\"msgID\":1,");
		assertThat(frames.get(2)).contains("\"id\":100,\"msgID\":2,");
		assertThat(cluster.log()).extracting(LogEntry::id).containsExactly(101L, 100L);
		assertThat(cluster.emit("create", object, Map.of()).id()).isEqualTo(103);
	}

}
