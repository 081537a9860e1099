package org.arvados.events.stream;

import java.time.Instant;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Python SDK gives its callback the same events whether they come from {@code EventClient} or
 * {@code PollClient}; so must we. Two applications follow one cluster at once, one over WebSocket, one polling.
 */
class TransportParityTests {

	@Test
	void bothTransportsDeliverTheSameEventsInTheSameOrder() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=websocket").run((webSocket) -> {
				runner(cluster, "arvados.events.transport=polling", "arvados.events.polling.interval=50ms").run((polling) -> {
					Recorder overWebSocket = awaitSubscribed(webSocket);
					Recorder overPolling = awaitSubscribed(polling);
					assertThat(mode(webSocket)).isEqualTo(TransportMode.WEBSOCKET);
					assertThat(mode(polling)).isEqualTo(TransportMode.POLLING);
					String collection = FakeArvadosCluster.uuid("4zz18");
					String request = FakeArvadosCluster.uuid("xvhdp");
					cluster.emit("create", collection, Map.of("new_attributes",
							Map.of("name", "reads", "portable_data_hash", "d41d8cd98f00b204e9800998ecf8427e+0",
									"manifest_text", "")));
					cluster.emit("update", request, Map.of("old_attributes", Map.of("state", "Committed"),
							"new_attributes", Map.of("state", "Final", "output_uuid", collection)));
					// A commit out of id order: the higher id is seen by both before the lower one commits.
					Transaction late = cluster.begin("update", collection,
							Map.of("new_attributes", Map.of("name", "reads-v2")));
					LogEntry higher = cluster.emit("stderr", FakeArvadosCluster.uuid("dz642"),
							Map.of("text", "2024-05-01T12:00:00Z hello\n"));
					await().atMost(WAIT).until(() -> overWebSocket.ids().contains(higher.id())
							&& overPolling.ids().contains(higher.id()));
					late.commit();
					// Both have it before the next event: a poll that began before the commit would otherwise give
					// the next event first and the late one on its next pass, an order of timing, not of transport.
					await().atMost(WAIT).until(() -> overWebSocket.ids().contains(late.id())
							&& overPolling.ids().contains(late.id()));
					LogEntry deleted = cluster.emit("delete", collection,
							Map.of("old_attributes", Map.of("name", "reads-v2", "is_trashed", true)));
					await().atMost(WAIT).until(() -> overWebSocket.ids().contains(deleted.id())
							&& overPolling.ids().contains(deleted.id()));
					assertThat(overWebSocket.ids()).hasSize(5).isEqualTo(overPolling.ids());
					assertThat(overWebSocket.events).map(Shape::of).isEqualTo(overPolling.events.stream().map(Shape::of).toList());
					for (int i = 0; i < 5; i++) {
						// The list sends whole properties; the WebSocket a trimmed subset of them.
						ArvadosEvent pushed = overWebSocket.events.get(i);
						ArvadosEvent polled = overPolling.events.get(i);
						assertThat(polled.newAttributes()).containsAllEntriesOf(pushed.newAttributes());
						assertThat(polled.oldAttributes()).containsAllEntriesOf(pushed.oldAttributes());
					}
					assertThat(overPolling.events.get(0).newAttributes()).containsKey("manifest_text");
					assertThat(overWebSocket.events.get(2).properties()).isEqualTo(overPolling.events.get(2).properties());
				});
			});
		}
	}

	private static TransportMode mode(AssertableApplicationContext context) {
		return context.getBean(ArvadosEventSubscription.class).state().mode();
	}

	/** What must not depend on the transport. */
	private record Shape(long id, String uuid, String objectUuid, String objectOwnerUuid, String objectKind,
			String eventType, @Nullable Instant eventAt) {

		static Shape of(ArvadosEvent event) {
			return new Shape(event.id(), event.uuid(), event.objectUuid(), event.objectOwnerUuid(), event.objectKind(),
					event.eventType(), event.eventAt());
		}

	}

}
