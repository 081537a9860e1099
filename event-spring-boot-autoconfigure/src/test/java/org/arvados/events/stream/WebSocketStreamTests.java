package org.arvados.events.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.dispatch.EventHandlerErrorHandler;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
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
import static org.awaitility.Awaitility.await;

/**
 * The stream end to end: the real auto-configuration and Tomcat's WebSocket client against the fake cluster on
 * loopback. After each test, the captured output must not contain the token.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebSocketStreamTests {

	@AfterEach
	void theTokenIsNeverLogged(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void deliversEventsInArrivalOrderAndSubscribesAsTheProtocolSays() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> sent = new ArrayList<>();
				for (int i = 0; i < 50; i++) {
					sent.add(emit(cluster));
				}
				await().atMost(WAIT).until(() -> recorder.events.size() >= 50);
				assertThat(recorder.ids()).containsExactlyElementsOf(ids(sent));
				ArvadosEvent first = recorder.events.get(0);
				assertThat(first.objectKind()).isEqualTo("arvados#collection");
				assertThat(first.newAttributes()).containsEntry("name", "n");
				// An empty cluster: everything is new, so resume after 0, which the server needs as -1.
				assertThat(cluster.clientMessages()).first()
					.isEqualTo("{\"method\":\"subscribe\",\"filters\":[],\"last_log_id\":-1}");
				assertThat(cluster.tokensSeen()).containsOnly(StreamTestSupport.TOKEN);
			});
		}
	}

	@Test
	void aLowerIdCommittedLaterIsDeliveredOnceInCommitOrder() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry before = emit(cluster);
				Transaction slow = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				Transaction fast = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				fast.commit();
				slow.commit();
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(after.id()));
				assertThat(recorder.ids()).containsExactly(before.id(), fast.id(), slow.id(), after.id());
				assertThat(context.getBean(ArvadosEventSubscription.class).state().lowWaterMark()).isEqualTo(after.id());
			});
		}
	}

	@Test
	void aLateCommitDuringAnOutageIsReplayedOnceAfterReconnecting() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				emit(cluster);
				Transaction slow = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				LogEntry fast = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(fast.id()));
				cluster.dropConnections();
				slow.commit();
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(after.id()) && recorder.ids().contains(slow.id()));
				assertThat(recorder.ids()).doesNotHaveDuplicates().hasSize(4);
				assertThat(cluster.clientMessages()).anyMatch((m) -> m.contains("\"last_log_id\":" + (slow.id() - 1)));
				assertThat(subscription.state().counts().duplicates()).as("the replay repeated %s", fast.id())
					.isPositive();
			});
		}
	}

	@Test
	void aGapThatNeverFillsIsClosedAfterTheGapTimeout() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			// Missing ids are looked up every polling.interval (15 s by default), and a gap is closed at the first
			// look-up after its timeout: both short, as in GapTests.
			runner(cluster, "arvados.events.gaps.timeout=300ms", "arvados.events.polling.interval=100ms").run((context) -> {
				awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				emit(cluster);
				Transaction rolledBack = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				// The gap cannot be seen before the event above it is sent.
				long sending = System.nanoTime();
				LogEntry next = emit(cluster);
				rolledBack.rollback();
				await().atMost(WAIT)
					.pollInterval(java.time.Duration.ofMillis(10))
					.until(() -> subscription.state().lowWaterMark() == next.id());
				// Looked up every 100 ms, the gap must still be kept until its timeout.
				assertThat(java.time.Duration.ofNanos(System.nanoTime() - sending)).as("kept for gaps.timeout")
					.isGreaterThanOrEqualTo(java.time.Duration.ofMillis(300));
				assertThat(subscription.state().closedGaps()).isEqualTo(1);
				assertThat(subscription.state().openGaps()).isZero();
			});
		}
	}

	@Test
	void appliesEveryFilterIncludingTheOnesTheServerIgnores() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.filters[0].attribute=event_type", "arvados.events.filters[0].operator=in",
					"arvados.events.filters[0].operand=create,update", "arvados.events.filters[1].attribute=object_uuid",
					"arvados.events.filters[1].operator=is_a", "arvados.events.filters[1].operand=arvados#collection")
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry created = cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of());
					cluster.emit("update", FakeArvadosCluster.uuid("xvhdp"), Map.of());
					cluster.emit("delete", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry updated = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
					await().atMost(WAIT).until(() -> recorder.ids().contains(updated.id()));
					assertThat(recorder.ids()).containsExactly(created.id(), updated.id());
					assertThat(cluster.clientMessages().get(0)).isEqualTo("{\"method\":\"subscribe\",\"filters\":"
							+ "[[\"event_type\",\"in\",[\"create\",\"update\"]],[\"object_uuid\",\"is_a\",\"arvados#collection\"]],"
							+ "\"last_log_id\":-1}");
				});
		}
	}

	@Test
	void connectionsDroppedMidStreamLoseNothingAndRepeatNothing() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> sent = new ArrayList<>();
				for (int round = 0; round < 5; round++) {
					for (int i = 0; i < 40; i++) {
						sent.add(emit(cluster));
					}
					if (round % 2 == 0) {
						cluster.dropConnections();
					}
					else {
						cluster.closeConnections();
					}
				}
				await().atMost(WAIT).until(() -> recorder.events.size() >= sent.size());
				assertThat(recorder.ids()).containsExactlyInAnyOrderElementsOf(ids(sent));
				assertThat(cluster.connectionsAccepted()).isGreaterThan(1);
			});
		}
	}

	// After its retries (short here; HandlerRetryTests has them in detail).
	@Test
	void aThrowingHandlerDoesNotStopTheStream(CapturedOutput output) {
		List<Long> failed = new CopyOnWriteArrayList<>();
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, SHORT_RETRIES).withUserConfiguration(Failing.class).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry first = emit(cluster);
				LogEntry second = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.events.size() == 2);
				assertThat(recorder.ids()).containsExactly(first.id(), second.id());
				await().atMost(WAIT).until(() -> output.getAll().contains("failed on Arvados event " + second.id()));
				assertThat(output).contains("Handler org.arvados.events.stream.WebSocketStreamTests$Failing.fail failed on "
						+ "Arvados event " + first.id() + " (update ");
			});
			runner(cluster, SHORT_RETRIES).withUserConfiguration(Failing.class)
				.withBean(EventHandlerErrorHandler.class, () -> (event, handler, error) -> failed.add(event.id()))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry third = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(third.id()));
					await().atMost(WAIT).until(() -> failed.contains(third.id()));
				});
		}
	}

	@Test
	void malformedFramesAreLoggedAndSkipped(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				cluster.sendRaw("{\"id\": 12, \"event_type\": ");
				cluster.sendRaw("garbage");
				cluster.sendRaw("[1,2,3]");
				LogEntry good = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(good.id()));
				assertThat(recorder.ids()).containsExactly(good.id());
				assertThat(output).contains("Skipped a malformed message").contains("Not valid JSON");
				assertThat(context.getBean(ArvadosEventSubscription.class).state().counts().malformed()).isEqualTo(3);
			});
		}
	}

	@Test
	void aDuplicateFrameIsDropped() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry first = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(first.id()));
				cluster.sendRaw(recorder.events.get(0).json());
				LogEntry second = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(second.id()));
				assertThat(recorder.ids()).containsExactly(first.id(), second.id());
				assertThat(context.getBean(ArvadosEventSubscription.class).state().counts().duplicates()).isEqualTo(1);
			});
		}
	}

	@Test
	void aFiveMebibyteEventArrivesWhole() {
		String text = "x".repeat(5 * 1024 * 1024);
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry big = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of("text", text));
				LogEntry small = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(small.id()));
				assertThat(recorder.ids()).containsExactly(big.id(), small.id());
				assertThat(recorder.events.get(0).properties().get("text")).isEqualTo(text);
			});
		}
	}

	@Test
	void aMessageOverTheLimitIsSkippedAndTheStreamGoesOn(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.websocket.max-message-size=1MB").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of("text", "y".repeat(5 * 1024 * 1024)));
				LogEntry small = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(small.id()));
				assertThat(recorder.ids()).containsExactly(small.id());
				assertThat(output).contains("larger than websocket.max-message-size");
				assertThat(cluster.connectionsAccepted()).as("the connection was kept").isEqualTo(1);
			});
		}
	}

	@Test
	void keepalivesAloneKeepTheConnection() {
		try (FakeArvadosCluster cluster = cluster().keepaliveInterval(java.time.Duration.ofMillis(100)).start()) {
			runner(cluster, "arvados.events.websocket.heartbeat-timeout=600ms").run((context) -> {
				awaitSubscribed(context);
				await().during(java.time.Duration.ofMillis(2000))
					.atMost(java.time.Duration.ofSeconds(4))
					.until(() -> cluster.connectionsAccepted() == 1);
			});
		}
	}

	@Test
	void aSilentConnectionIsReplacedAfterTheHeartbeatTimeout(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.websocket.heartbeat-timeout=500ms").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry before = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(before.id()));
				cluster.setSilent(true);
				LogEntry during = emit(cluster);
				await().atMost(WAIT).until(() -> cluster.connectionsAccepted() >= 2);
				assertThat(output).contains("presumed dead");
				cluster.setSilent(false);
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(after.id()));
				assertThat(recorder.ids()).containsExactly(before.id(), during.id(), after.id());
			});
		}
	}

	@Test
	void aSlowHandlerThatOverflowsTheServerQueueLosesNothing() {
		CountDownLatch gate = new CountDownLatch(1);
		String padding = "p".repeat(256 * 1024);
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.queue-capacity=2")
				.withBean(Gate.class, () -> new Gate(gate))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					List<LogEntry> sent = new ArrayList<>();
					for (int i = 0; i < 2000 && cluster.overflowCloses() == 0; i++) {
						sent.add(cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of("text", padding)));
					}
					assertThat(cluster.overflowCloses()).as("the server dropped us for reading slowly").isPositive();
					for (int i = 0; i < 5; i++) {
						sent.add(emit(cluster));
					}
					gate.countDown();
					await().atMost(WAIT.multipliedBy(2)).until(() -> recorder.events.size() >= sent.size());
					assertThat(recorder.ids()).containsExactlyInAnyOrderElementsOf(ids(sent));
				});
		}
	}

	@Test
	void stoppingDrainsTheQueueAndClosesTheConnection() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).withBean(Gate.class, () -> new Gate(gate)).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> sent = List.of(emit(cluster), emit(cluster), emit(cluster));
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				await().atMost(WAIT).until(() -> subscription.state().counts().received() == 3);
				CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
				await().atMost(WAIT).until(() -> cluster.openConnections() == 0);
				assertThat(closing).isNotDone();
				gate.countDown();
				closing.get(20, TimeUnit.SECONDS);
				assertThat(recorder.ids()).containsExactlyElementsOf(ids(sent));
				assertThat(subscription.isRunning()).isFalse();
			});
		}
	}

	private static final String[] SHORT_RETRIES = { "arvados.events.handler-retry.delay=5ms",
			"arvados.events.handler-retry.max-delay=5ms" };

	static class Failing {

		@EventHandler
		@org.springframework.core.annotation.Order(1)
		void fail(ArvadosEvent event) {
			throw new IllegalStateException("handler bug");
		}

	}

	/** Holds every handler until its latch opens. */
	static class Gate {

		private final CountDownLatch latch;

		Gate(CountDownLatch latch) {
			this.latch = latch;
		}

		@EventHandler
		@org.springframework.core.annotation.Order(-1)
		void hold(ArvadosEvent event) throws InterruptedException {
			this.latch.await();
		}

	}

}
