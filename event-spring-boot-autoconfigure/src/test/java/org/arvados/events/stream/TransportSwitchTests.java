package org.arvados.events.stream;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.lifecycle.TransportSwitchedEvent;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Choosing and switching transports, and the catch-up through the logs list that makes every hand-over and
 * every reconnect lose nothing and repeat nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransportSwitchTests {

	private static final String[] QUICK_SWITCHING = { "arvados.events.websocket.attempts=2",
			"arvados.events.websocket.retry-interval=200ms", "arvados.events.polling.interval=50ms" };

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void refusedWebSocketFallsBackToPollingAndComesBackWithEveryEventOnce(CapturedOutput output) throws Exception {
		try (FakeArvadosCluster cluster = cluster().start()) {
			cluster.setRefuseConnections(true);
			runner(cluster, QUICK_SWITCHING).run((context) -> {
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				Recorder recorder = awaitSubscribed(context);
				assertThat(subscription.state().mode()).isEqualTo(TransportMode.POLLING);
				List<LogEntry> emitted = new CopyOnWriteArrayList<>();
				AtomicBoolean emitting = new AtomicBoolean(true);
				ExecutorService emitter = Executors.newSingleThreadExecutor();
				emitter.execute(() -> {
					while (emitting.get()) {
						emitted.add(emit(cluster));
						LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
					}
				});
				await().atMost(WAIT).until(() -> recorder.ids().size() >= 20);
				cluster.setRefuseConnections(false);
				await().atMost(WAIT).until(() -> subscription.state().mode() == TransportMode.WEBSOCKET
						&& subscription.state().connected());
				int switchedAt = emitted.size();
				await().atMost(WAIT).until(() -> emitted.size() >= switchedAt + 50);
				emitting.set(false);
				emitter.shutdown();
				assertThat(emitter.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
				await().atMost(WAIT).until(() -> recorder.ids().size() >= emitted.size());
				assertThat(recorder.ids()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(emitted));
				assertThat(recorder.switches).extracting(TransportSwitchedEvent::getFrom, TransportSwitchedEvent::getTo)
					.containsExactly(tuple(TransportMode.WEBSOCKET, TransportMode.POLLING),
							tuple(TransportMode.POLLING, TransportMode.WEBSOCKET));
				assertThat(output).contains("Switched from websocket to polling for Arvados events from " + cluster.endpoint())
					.contains("Switched from polling to websocket for Arvados events from " + cluster.endpoint()
							+ ": the WebSocket works again");
				assertThat(subscription.state().counts().transportSwitches()).isEqualTo(2);
			});
		}
	}

	@Test
	void aClusterWithoutAWebSocketServerIsPolledAtOnce() {
		try (FakeArvadosCluster cluster = cluster().advertiseWebsocket(false).start()) {
			runner(cluster, "arvados.events.polling.interval=50ms").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				assertThat(subscription.state().mode()).isEqualTo(TransportMode.POLLING);
				assertThat(recorder.switches).singleElement()
					.satisfies((switched) -> assertThat(switched.getReason()).contains("does not advertise a websocketUrl"));
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
				assertThat(cluster.connectionsAccepted()).isZero();
			});
		}
	}

	@Test
	void aWebSocketOnlySubscriptionNeverPolls() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			cluster.setRefuseConnections(true);
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.websocket.attempts=1").run((context) -> {
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				await().atMost(WAIT).until(() -> subscription.state().counts().reconnects() >= 3);
				assertThat(subscription.state().mode()).isEqualTo(TransportMode.WEBSOCKET);
				assertThat(subscription.state().counts().transportSwitches()).isZero();
				cluster.setRefuseConnections(false);
				Recorder recorder = awaitSubscribed(context);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
				assertThat(recorder.switches).isEmpty();
			});
		}
	}

	@Test
	void anOutageLongerThanTheReplayWindowLosesNothing() {
		// Nothing is replayed: whatever happened while disconnected comes only from the logs list.
		try (FakeArvadosCluster cluster = cluster().replayWindow(Duration.ZERO).start()) {
			runner(cluster, "arvados.events.transport=websocket").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> before = List.of(emit(cluster), emit(cluster));
				await().atMost(WAIT).until(() -> recorder.ids().size() == 2);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				cluster.setRefuseConnections(true);
				cluster.dropConnections();
				await().atMost(WAIT).until(() -> !subscription.state().connected());
				List<LogEntry> during = IntStream.range(0, 30).mapToObj((i) -> emit(cluster)).toList();
				cluster.failListRequests(2, 503);
				cluster.setRefuseConnections(false);
				await().atMost(WAIT).until(() -> recorder.ids().size() >= 32);
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(after.id()));
				assertThat(recorder.ids()).doesNotHaveDuplicates()
					.containsExactlyElementsOf(ids(concat(before, during, List.of(after))));
			});
		}
	}

	@Test
	void idsTheWebSocketNeverSentAreFoundInTheListOnceTheTokenWorksAgain() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.polling.interval=200ms").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry before = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(before.id()));
				// The server drops every event of a revoked token without a word; the connection stays up.
				cluster.revokeToken();
				List<LogEntry> dropped = IntStream.range(0, 5).mapToObj((i) -> emit(cluster)).toList();
				cluster.restoreToken();
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().size() >= 7);
				assertThat(recorder.ids()).doesNotHaveDuplicates()
					.containsExactlyInAnyOrderElementsOf(ids(concat(List.of(before), dropped, List.of(after))));
				assertThat(cluster.connectionsAccepted()).isEqualTo(1);
			});
		}
	}

	@Test
	void liveEventsWaitForTheCatchUpSoAnObjectsEventsKeepTheirOrder() {
		try (FakeArvadosCluster cluster = cluster().replayWindow(Duration.ZERO).start()) {
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.polling.limit=5").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				cluster.setRefuseConnections(true);
				cluster.dropConnections();
				await().atMost(WAIT).until(() -> !subscription.state().connected());
				List<LogEntry> others = IntStream.range(0, 40).mapToObj((i) -> emit(cluster)).toList();
				String collection = FakeArvadosCluster.uuid("4zz18");
				LogEntry created = cluster.emit("create", collection, Map.of());
				// Nine pages of five, slowly: live updates of the collection arrive while the catch-up is on page one.
				cluster.delayListRequests(Duration.ofMillis(100));
				int asked = cluster.listRequests().size();
				cluster.setRefuseConnections(false);
				await().atMost(WAIT).until(() -> cluster.listRequests().size() > asked);
				List<LogEntry> updates = IntStream.range(0, 5)
					.mapToObj((i) -> cluster.emit("update", collection, Map.of()))
					.toList();
				await().atMost(WAIT).until(() -> recorder.ids().size() >= 46);
				assertThat(subscription.state().connected()).isTrue();
				List<Long> ofCollection = recorder.events.stream()
					.filter((event) -> event.objectUuid().equals(collection))
					.map(ArvadosEvent::id)
					.toList();
				assertThat(ofCollection).containsExactlyElementsOf(ids(concat(List.of(created), updates)));
				assertThat(recorder.ids()).doesNotHaveDuplicates().containsAll(ids(others));
			});
		}
	}

	@SafeVarargs
	private static List<LogEntry> concat(List<LogEntry>... parts) {
		return Arrays.stream(parts).flatMap(List::stream).toList();
	}

}
