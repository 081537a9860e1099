package org.arvados.events.stream;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.stream.WebSocketStreamTests.Gate;
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
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where a subscription starts and what it saves, and a subscription the server rejects.
 */
@ExtendWith(OutputCaptureExtension.class)
class ResumeAndRejectionTests {

	@AfterEach
	void theTokenIsNeverLogged(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void startFromAnIdReplaysFromThatId() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			emit(cluster);
			LogEntry second = emit(cluster);
			LogEntry third = emit(cluster);
			runner(cluster, "arvados.events.start-from=" + second.id()).run((context) -> {
				Recorder recorder = context.getBean(Recorder.class);
				await().atMost(WAIT).until(() -> recorder.events.size() >= 2);
				assertThat(recorder.ids()).containsExactly(second.id(), third.id());
				assertThat(cluster.clientMessages().get(0)).contains("\"last_log_id\":" + (second.id() - 1));
			});
		}
	}

	@Test
	void latestStartsAfterTheNewestEventAlreadyThere() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			emit(cluster);
			LogEntry newest = emit(cluster);
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry fresh = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(fresh.id()));
				assertThat(recorder.ids()).containsExactly(fresh.id());
				assertThat(cluster.clientMessages().get(0)).contains("\"last_log_id\":" + newest.id());
			});
		}
	}

	@Test
	void aConnectionThatDropsBeforeItsFirstEventLosesNothing() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			emit(cluster);
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				cluster.dropConnections();
				LogEntry duringOutage = emit(cluster);
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(after.id()));
				assertThat(recorder.ids()).containsExactly(duringOutage.id(), after.id());
			});
		}
	}

	@Test
	void withoutAnAnswerFromTheApiNewEventsCountFromTheFirstOne(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			emit(cluster);
			cluster.failListRequests(1, 500);
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry fresh = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(fresh.id()));
				assertThat(recorder.ids()).containsExactly(fresh.id());
				assertThat(output).contains("for the newest event id (").contains("500");
			});
		}
	}

	@Test
	void aSavedPositionBeyondTheClustersNewestIdResumesAfterTheNewest(CapturedOutput output) {
		RecordingStore store = new RecordingStore();
		try (FakeArvadosCluster cluster = cluster().start()) {
			LogEntry old = emit(cluster);
			// As after a restore of the cluster's database from a backup: ids it has not given out yet.
			store.checkpoint = new Checkpoint(old.id() + 1_000_000, List.of());
			runner(cluster, "arvados.events.start-from=checkpoint").withBean(EventCheckpointStore.class, () -> store)
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry fresh = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(fresh.id()));
					assertThat(recorder.ids()).containsExactly(fresh.id());
					assertThat(output).contains("is beyond the newest event of the cluster (id " + old.id() + ")");
				});
		}
	}

	@Test
	void theCheckpointMovesOnlyAfterTheHandlersReturn() {
		CountDownLatch gate = new CountDownLatch(1);
		RecordingStore store = new RecordingStore();
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).withBean(EventCheckpointStore.class, () -> store)
				.withBean(Gate.class, () -> new Gate(gate))
				.run((context) -> {
					awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					LogEntry first = emit(cluster);
					LogEntry second = emit(cluster);
					await().atMost(WAIT).until(() -> subscription.state().counts().received() == 2);
					assertThat(store.saved).as("nothing is handled while the handler is held").allMatch((id) -> id < first.id());
					gate.countDown();
					await().atMost(WAIT).until(() -> store.saved.contains(second.id()));
					assertThat(store.saved).isSorted().doesNotHaveDuplicates();
				});
		}
	}

	@Test
	void aRejectedSubscriptionIsLoggedWithItsFilters(CapturedOutput output) {
		// The server reads a client message in 4 KiB pieces and answers 400 to each when it is larger.
		String manyUuids = IntStream.range(0, 300)
			.mapToObj((i) -> FakeArvadosCluster.uuid("4zz18"))
			.collect(Collectors.joining(","));
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.polling.interval=50ms", "arvados.events.filters[0].attribute=object_uuid",
					"arvados.events.filters[0].operator=in",
					"arvados.events.filters[0].operand=" + manyUuids)
				.run((context) -> {
					await().atMost(WAIT).until(() -> output.getAll().contains("The event server answered 400"));
					assertThat(output).contains("with filters [object_uuid in [zzzzz-4zz18-")
						.contains(", … (300 values)]]; check arvados.events.filters")
						.contains("will reject it. Use fewer filter values");
					// 'auto' polls instead, for good: the list takes the long filter in a form body.
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					await().atMost(WAIT).until(() -> subscription.state().mode() == TransportMode.POLLING);
					LogEntry wanted = cluster.emit("update", manyUuids.substring(0, 27), Map.of());
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.ids().contains(wanted.id()));
					assertThat(output).contains("Switched from websocket to polling")
						.contains("The event server rejected the subscription");
				});
		}
	}

	@Test
	void anErrorAnswerAfterTheSubscriptionWasConfirmedRejectsNothing(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				// The answer to a later subscribe or unsubscribe message (one per filter set), not to the subscription.
				cluster.sendRaw("{\"status\":400}");
				await().atMost(WAIT).until(() -> output.getAll().contains("to a subscribe or unsubscribe message"));
				LogEntry next = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(next.id()));
				assertThat(subscription.state().mode()).isEqualTo(TransportMode.WEBSOCKET);
				assertThat(subscription.state().counts().transportSwitches()).isZero();
				assertThat(output).doesNotContain("rejected the subscription");
			});
		}
	}

	static class RecordingStore implements EventCheckpointStore {

		final List<Long> saved = new CopyOnWriteArrayList<>();

		volatile Checkpoint checkpoint;

		@Override
		public Optional<Checkpoint> load() {
			return Optional.ofNullable(this.checkpoint);
		}

		@Override
		public void save(Checkpoint checkpoint) {
			this.saved.add(checkpoint.lowWaterMark());
		}

	}

}
