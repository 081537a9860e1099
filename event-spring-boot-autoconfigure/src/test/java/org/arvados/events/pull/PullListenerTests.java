package org.arvados.events.pull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The queue of a pull listener: what it selects, what it drops when full and how it says so, and how its readers
 * wait and wake.
 */
@ExtendWith(OutputCaptureExtension.class)
class PullListenerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ArvadosEventListeners listeners = new ArvadosEventListeners();

	private static ArvadosEvent event(long id, String eventType, String objectUuid) {
		String kind = objectUuid.contains("-4zz18-") ? "arvados#collection" : "arvados#containerRequest";
		return new ArvadosEvent(id, "zzzzz-57u5n-" + String.format("%015d", id), objectUuid, "zzzzz-tpzed-000000000000000",
				kind, eventType, Instant.now(), Map.of(), "{}");
	}

	private static ArvadosEvent event(long id) {
		return event(id, "update", "zzzzz-4zz18-00000000000000" + (id % 10));
	}

	private void deliver(long from, long to) {
		LongStream.rangeClosed(from, to).forEach((id) -> this.listeners.deliver(event(id)));
	}

	private static List<Long> drain(PullListener listener) throws InterruptedException {
		List<Long> ids = new java.util.ArrayList<>();
		for (ArvadosEvent next = listener.poll(Duration.ZERO); next != null; next = listener.poll(Duration.ZERO)) {
			ids.add(next.id());
		}
		return ids;
	}

	@Test
	void selectsByTypeKindUuidPatternAndPredicateAllTogether() throws InterruptedException {
		try (PullListener listener = this.listeners.select()
			.eventTypes("create", "update")
			.objectKinds("arvados#collection")
			.objectUuids("zzzzz-4zz18-a*", "zzzzz-4zz18-b?")
			.where((event) -> event.id() != 4)
			.open()) {
			this.listeners.deliver(event(1, "update", "zzzzz-4zz18-a12"));
			this.listeners.deliver(event(2, "delete", "zzzzz-4zz18-a12"));
			this.listeners.deliver(event(3, "create", "zzzzz-xvhdp-a12"));
			this.listeners.deliver(event(4, "create", "zzzzz-4zz18-a12"));
			this.listeners.deliver(event(5, "create", "zzzzz-4zz18-b1"));
			this.listeners.deliver(event(6, "create", "zzzzz-4zz18-b12"));
			assertThat(drain(listener)).containsExactly(1L, 5L);
		}
	}

	@Test
	void dropOldestKeepsTheNewestAndCountsWhatItDropped() throws InterruptedException {
		try (PullListener listener = this.listeners.select().capacity(3).whenFull(OverflowPolicy.DROP_OLDEST).open()) {
			deliver(1, 10);
			assertThat(listener.dropped()).isEqualTo(7);
			assertThat(this.listeners.dropped()).isEqualTo(7);
			assertThat(drain(listener)).containsExactly(8L, 9L, 10L);
		}
	}

	@Test
	void dropNewestKeepsAnUnbrokenRunFromWhereTheReaderFellBehind() throws InterruptedException {
		try (PullListener listener = this.listeners.select().capacity(3).whenFull(OverflowPolicy.DROP_NEWEST).open()) {
			deliver(1, 10);
			assertThat(listener.dropped()).isEqualTo(7);
			assertThat(drain(listener)).containsExactly(1L, 2L, 3L);
		}
	}

	@Test
	void eachEpisodeOfBeingFullIsOneWarningAndItsEndOneInfoLine(CapturedOutput output) throws InterruptedException {
		try (PullListener listener = this.listeners.select().name("slow").capacity(4).open()) {
			deliver(1, 20);
			// A reader that stays just behind: still the same episode.
			listener.poll(Duration.ZERO);
			deliver(21, 30);
			assertThat(warnings(output)).hasSize(1)
				.allSatisfy((line) -> assertThat(line).contains("The pull listener 'slow' is full (4 events): dropping "
						+ "the oldest until it is read (DROP_OLDEST); dropped() counts them"));
			drain(listener);
			deliver(31, 31);
			assertThat(output.getAll()).contains("The pull listener 'slow' has room again; 25 event(s) were dropped");
			deliver(32, 40);
			assertThat(warnings(output)).hasSize(2);
			assertThat(listener.dropped()).isEqualTo(25 + 6);
		}
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains(" WARN ") && line.contains("is full")).toList();
	}

	@Test
	void historyKeepsTheLastSelectedEventsReadOrDroppedAndClearLeavesIt() throws InterruptedException {
		try (PullListener listener = this.listeners.select().capacity(2).history(5).open()) {
			deliver(1, 8);
			assertThat(listener.take().id()).isEqualTo(7);
			assertThat(listener.history()).extracting(ArvadosEvent::id).containsExactly(4L, 5L, 6L, 7L, 8L);
			assertThat(listener.clear()).isEqualTo(1);
			assertThat(listener.size()).isZero();
			assertThat(listener.history()).hasSize(5);
		}
		try (PullListener none = this.listeners.select().history(0).open()) {
			deliver(9, 9);
			assertThat(none.history()).isEmpty();
		}
	}

	@Test
	void pollWaitsAtMostItsTimeoutAndTakeWaitsForAnEvent() throws Exception {
		try (PullListener listener = this.listeners.select().open()) {
			assertThat(listener.poll(Duration.ofMillis(50))).isNull();
			CountDownLatch waiting = new CountDownLatch(1);
			CompletableFuture<ArvadosEvent> taken = CompletableFuture.supplyAsync(() -> {
				waiting.countDown();
				try {
					return listener.take();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
			deliver(1, 1);
			assertThat(taken.get(10, TimeUnit.SECONDS).id()).isEqualTo(1);
		}
	}

	@Test
	void closingWakesTheReadersAndEndsTheStream() throws Exception {
		PullListener listener = this.listeners.select().open();
		CompletableFuture<List<Long>> streamed = CompletableFuture
			.supplyAsync(() -> listener.stream().map(ArvadosEvent::id).toList());
		deliver(1, 3);
		await().atMost(WAIT).until(() -> listener.size() == 0);
		assertThat(this.listeners.openListeners()).containsExactly(listener);
		listener.close();
		assertThat(streamed.get(10, TimeUnit.SECONDS)).containsExactly(1L, 2L, 3L);
		assertThatExceptionOfType(PullListenerClosedException.class).isThrownBy(listener::take)
			.withMessage("The pull listener 'pull-1' is closed");
		assertThat(listener.poll(Duration.ofSeconds(10))).isNull();
		assertThat(this.listeners.openListeners()).isEmpty();
		deliver(4, 4);
		assertThat(listener.size()).isZero();
		listener.close();
	}

	@Test
	void closingAllAtShutdownWakesABlockedTake() throws Exception {
		PullListener listener = this.listeners.select().name("worker").open();
		CompletableFuture<ArvadosEvent> taken = CompletableFuture.supplyAsync(() -> {
			try {
				return listener.take();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.listeners.destroy();
		assertThat(taken).failsWithin(WAIT).withThrowableThat().havingRootCause()
			.isInstanceOf(PullListenerClosedException.class);
		assertThat(listener.isClosed()).isTrue();
	}

	@Test
	void aPredicateThatThrowsSelectsNothingAndTheOthersStillGetTheEvent() throws InterruptedException {
		try (PullListener broken = this.listeners.select().where((event) -> {
			throw new IllegalStateException("boom");
		}).open(); PullListener fine = this.listeners.select().open()) {
			deliver(1, 2);
			assertThat(broken.size()).isZero();
			assertThat(drain(fine)).containsExactly(1L, 2L);
		}
	}

	@Test
	void badOptionsAreRefusedAtOnce() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.listeners.select().capacity(0))
			.withMessage("A pull listener's capacity must be at least 1, not 0");
		assertThatIllegalArgumentException().isThrownBy(() -> this.listeners.select().history(-1))
			.withMessage("A pull listener's history size must not be negative, not -1");
	}

}
