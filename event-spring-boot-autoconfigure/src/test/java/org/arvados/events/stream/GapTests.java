package org.arvados.events.stream;

import java.time.Duration;
import java.util.Map;

import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
import org.junit.jupiter.api.Test;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gap in the ids is given up only when the logs list, asked after {@code gaps.timeout}, answers without it:
 * while the cluster cannot be asked, a late commit is kept for.
 */
class GapTests {

	private static final String[] PROPERTIES = { "arvados.events.transport=websocket",
			"arvados.events.gaps.timeout=200ms", "arvados.events.polling.interval=100ms" };

	// An event committed above an open transaction, and handled: the transaction's id is now a gap.
	private static LogEntry handledAbove(FakeArvadosCluster cluster, Recorder recorder) {
		LogEntry above = emit(cluster);
		await().atMost(WAIT).until(() -> recorder.ids().contains(above.id()));
		return above;
	}

	@Test
	void aLateCommitDuringAnOutageLongerThanTheGapTimeoutIsStillDelivered() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, PROPERTIES).run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					Transaction slow = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry fast = handledAbove(cluster, recorder);
					cluster.setRefuseConnections(true);
					cluster.failListRequests(Integer.MAX_VALUE, 503);
					cluster.dropConnections();
					LogEntry late = slow.commit();
					// Five gap timeouts without a list to ask: the gap stays open.
					await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> subscription.state().openGaps() == 1);
					cluster.failListRequests(0, 503);
					cluster.setRefuseConnections(false);
					await().atMost(WAIT).until(() -> recorder.ids().contains(late.id()));
					assertThat(recorder.ids()).containsExactly(fast.id(), late.id());
				});
		}
	}

	@Test
	void anIdFarInTheFutureOnTheWebSocketIsNotTakenOnItsWordAndEventsGoOn() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, PROPERTIES).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				LogEntry before = handledAbove(cluster, recorder);
				cluster.sendRaw("{\"id\":9223372036854775807,\"object_uuid\":\"" + FakeArvadosCluster.uuid("4zz18")
						+ "\",\"event_type\":\"update\",\"properties\":{}}");
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(after.id()));
				// Past several gap timeouts and sweeps of the list.
				await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> subscription.state().openGaps() == 0);
				LogEntry later = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(later.id()));
				assertThat(recorder.ids()).containsExactly(before.id(), after.id(), later.id());
				assertThat(subscription.state().highestId()).isEqualTo(later.id());
			});
		}
	}

	@Test
	void aRealJumpOfTheIdsIsConfirmedThroughTheListAndDelivered() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, PROPERTIES).withPropertyValues("arvados.events.polling.limit=20").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry before = handledAbove(cluster, recorder);
				// Fifty ids burned by rolled-back transactions: the next event is more than a page above.
				for (int i = 0; i < 50; i++) {
					cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of()).rollback();
				}
				LogEntry far = emit(cluster);
				assertThat(far.id()).isGreaterThan(before.id() + 20);
				await().atMost(WAIT).until(() -> recorder.ids().contains(far.id()));
				LogEntry next = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(next.id()));
				assertThat(recorder.ids()).containsExactly(before.id(), far.id(), next.id());
			});
		}
	}

	@Test
	void aGapTheListDoesNotHaveIsGivenUpAfterTheTimeout() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, PROPERTIES).run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					Transaction rolledBack = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry after = handledAbove(cluster, recorder);
					rolledBack.rollback();
					await().atMost(WAIT).until(() -> subscription.state().openGaps() == 0);
					assertThat(subscription.state().lowWaterMark()).isEqualTo(after.id());
					assertThat(subscription.state().closedGaps()).isEqualTo(1);
				});
		}
	}

}
