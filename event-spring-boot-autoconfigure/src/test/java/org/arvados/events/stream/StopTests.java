package org.arvados.events.stream;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.stream.WebSocketStreamTests.Gate;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
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
 * A stop is bounded: handlers that do not return within the shutdown phase, and a checkpoint store that does not
 * answer, are let go; what a stop lets go is read again at the next start and pins nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class StopTests {

	private static final String SHORT_STOP = "spring.lifecycle.timeout-per-shutdown-phase=1s";

	@Test
	void whatAStopThatTimedOutLetGoIsHandledAtTheNextStartAndPinsNothing(CapturedOutput output) {
		CountDownLatch gate = new CountDownLatch(1);
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, SHORT_STOP).withBean(Gate.class, () -> new Gate(gate)).run((context) -> {
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> held = List.of(emit(cluster), emit(cluster), emit(cluster));
				await().atMost(WAIT).until(() -> subscription.state().counts().received() == 3);
				subscription.stop();
				// Said by the stop's timer, which may finish after the stop returned: the interrupted handler can end
				// the run first (its retry then sees the stop).
				await().atMost(WAIT)
					.until(() -> output.toString().contains("did not finish within 900 ms of the stop; 3 event(s)"));
				// Let the stuck handler go: what it finishes now was let go, and does not count.
				gate.countDown();
				subscription.start();
				await().atMost(WAIT).until(() -> recorder.ids().containsAll(ids(held)));
				LogEntry after = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(after.id()));
				await().atMost(WAIT).until(() -> subscription.state().lowWaterMark() == after.id());
			});
		}
	}

	@Test
	void aStoreThatDoesNotAnswerTheLastSaveHoldsTheStopNoLongerThanItsTimeAndTheLogSaysWhereTheNextStartResumes(
			CapturedOutput output) {
		HangingStore store = new HangingStore();
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, SHORT_STOP, "arvados.events.checkpoint.interval=50ms")
				.withBean(EventCheckpointStore.class, () -> store)
				.run((context) -> {
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					Recorder recorder = awaitSubscribed(context);
					LogEntry saved = emit(cluster);
					await().atMost(WAIT).until(() -> store.last != null && store.last.highestId() == saved.id());
					store.hang.set(true);
					LogEntry unsaved = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(unsaved.id()));
					long started = System.nanoTime();
					subscription.stop();
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
					assertThat(output).contains("did not answer the last save")
						.contains("the next start resumes after id " + saved.id() + " (the last save; the position in "
								+ "memory, after id " + unsaved.id() + ", could not be saved)");
					store.release.countDown();
				});
		}
	}

	/** A durable store whose saves block, while asked to, until released. */
	static final class HangingStore implements EventCheckpointStore {

		final java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();

		final CountDownLatch release = new CountDownLatch(1);

		volatile Checkpoint last;

		volatile boolean hanging;

		@Override
		public Optional<Checkpoint> load() {
			return Optional.empty();
		}

		@Override
		public void save(Checkpoint checkpoint) {
			if (this.hang.get()) {
				this.hanging = true;
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return;
			}
			this.last = checkpoint;
		}

	}

}
