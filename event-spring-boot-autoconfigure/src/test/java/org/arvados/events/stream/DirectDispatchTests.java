package org.arvados.events.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code arvados.events.dispatch=direct}: live events reach the handlers on the socket reader's thread, once and in
 * order; a handler that holds the reader pauses reading without counting as a silent connection; a stop waits for
 * it.
 */
class DirectDispatchTests {

	@Test
	void liveEventsAreHandledOnTheSocketReaderOnceAndInOrder() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.dispatch=direct").withUserConfiguration(Threads.class).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> sent = new ArrayList<>();
				for (int i = 0; i < 50; i++) {
					sent.add(emit(cluster));
				}
				await().atMost(WAIT).until(() -> recorder.events.size() >= sent.size());
				assertThat(recorder.ids()).containsExactlyElementsOf(ids(sent));
				assertThat(context.getBean(Threads.class).names).isNotEmpty()
					.doesNotContain("arvados-events-dispatch", "arvados-events");
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				long last = sent.get(sent.size() - 1).id();
				await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() == last);
			});
		}
	}

	@Test
	void aHandlerHoldingTheReaderPausesReadingWithoutLookingLikeASilentConnection() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.dispatch=direct", "arvados.events.websocket.heartbeat-timeout=500ms")
				.withUserConfiguration(Gate.class)
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					List<LogEntry> sent = List.of(emit(cluster), emit(cluster), emit(cluster));
					// Held on the reader: the two behind it are not read, and no reconnect comes for that.
					await().during(Duration.ofMillis(1500))
						.atMost(WAIT)
						.until(() -> subscription.state().counts().received() == 1 && cluster.connectionsAccepted() == 1);
					context.getBean(Gate.class).open.countDown();
					await().atMost(WAIT).until(() -> recorder.events.size() >= sent.size());
					assertThat(recorder.ids()).containsExactlyElementsOf(ids(sent));
					assertThat(cluster.connectionsAccepted()).isEqualTo(1);
				});
		}
	}

	@Test
	void stoppingWaitsForAHandlerRunningOnTheReader() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.dispatch=direct").withUserConfiguration(Gate.class).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				Gate gate = context.getBean(Gate.class);
				LogEntry held = emit(cluster);
				await().atMost(WAIT).until(() -> gate.entered.getCount() == 0);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				CompletableFuture<Void> stopping = CompletableFuture.runAsync(subscription::stop);
				await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !stopping.isDone());
				gate.open.countDown();
				stopping.get(20, TimeUnit.SECONDS);
				assertThat(recorder.ids()).containsExactly(held.id());
				assertThat(subscription.isRunning()).isFalse();
				assertThat(subscription.state().lowWaterMark()).isEqualTo(held.id());
			});
		}
	}

	/** Names the threads the handlers ran on. */
	static class Threads {

		final List<String> names = new CopyOnWriteArrayList<>();

		@EventHandler
		void record(ArvadosEvent event) {
			this.names.add(Thread.currentThread().getName());
		}

	}

	/** Holds the first event until opened. */
	static class Gate {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch open = new CountDownLatch(1);

		@EventHandler
		void hold(ArvadosEvent event) throws InterruptedException {
			this.entered.countDown();
			this.open.await();
		}

	}

}
