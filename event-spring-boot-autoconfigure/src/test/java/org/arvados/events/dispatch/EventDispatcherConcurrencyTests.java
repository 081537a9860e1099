package org.arvados.events.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@code arvados.events.concurrency}: the events of one object reach the handlers one at a time and in the order
 * they were queued, those of different objects in parallel; an event counts as handled only once its handlers
 * returned; a notice waits for every event queued before it; a stop runs its callbacks after every handler; a gate's
 * refusal hands nothing more and lets go of what waited for its object.
 */
class EventDispatcherConcurrencyTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final List<Long> handled = new CopyOnWriteArrayList<>();

	private final List<String> violations = new CopyOnWriteArrayList<>();

	private EventDispatcher dispatcher;

	@AfterEach
	void stop() {
		if (this.dispatcher != null) {
			this.dispatcher.stopNow();
		}
	}

	// Seeded, replayable: handlers of random length over interleaved objects. Were the key ignored (any event to any
	// thread), an object's events would overlap or come out of order.
	@Test
	void eachObjectsEventsRunOneAtATimeInOrder() throws Exception {
		long seed = Long.getLong("concurrency.seed", new Random().nextLong());
		Random random = new Random(seed);
		Map<String, Long> lastOfObject = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
		start(8, 64, (event) -> {
			AtomicInteger active = running.computeIfAbsent(event.objectUuid(), (key) -> new AtomicInteger());
			if (active.incrementAndGet() != 1) {
				this.violations.add("two events of " + event.objectUuid() + " at once, with " + event.id());
			}
			Long last = lastOfObject.put(event.objectUuid(), event.id());
			if (last != null && last > event.id()) {
				this.violations.add(event.objectUuid() + ": " + event.id() + " after " + last);
			}
			// The handler's work (not a wait for a state): up to a millisecond.
			LockSupport.parkNanos(Math.floorMod(event.id() * 7919, 1_000_000));
			active.decrementAndGet();
		});
		int count = 2_000;
		for (long id = 1; id <= count; id++) {
			offer(event(id, "zzzzz-4zz18-object" + random.nextInt(20)));
		}
		await().atMost(WAIT).until(() -> this.handled.size() == count);
		assertThat(this.violations).as("seed %d (replay with -Dconcurrency.seed=%d)", seed, seed).isEmpty();
		assertThat(this.handled).doesNotHaveDuplicates();
	}

	// Seeded, replayable: stops, hard stops and restarts at random while events flow. Every event offered ends handled
	// once or let go (never both, never neither), and each object's handled events keep their order within a run.
	@Test
	void underRandomStopsEveryEventIsHandledOnceOrLetGo() throws Exception {
		long seed = Long.getLong("concurrency.seed", new Random().nextLong());
		Random random = new Random(seed);
		Map<Long, AtomicInteger> outcomes = new ConcurrentHashMap<>();
		Map<String, Long> lastOfObject = new ConcurrentHashMap<>();
		start(4, 32, (event) -> {
			Long last = lastOfObject.put(event.objectUuid(), event.id());
			if (last != null && last > event.id()) {
				this.violations.add(event.objectUuid() + ": " + event.id() + " after " + last);
			}
			LockSupport.parkNanos(Math.floorMod(event.id() * 7919, 300_000));
		});
		Consumer<ArvadosEvent> outcome = (event) -> outcomes.computeIfAbsent(event.id(), (id) -> new AtomicInteger())
			.incrementAndGet();
		this.dispatcher.setOnLetGo((events) -> events.forEach(outcome));
		long id = 0;
		for (int round = 0; round < 30; round++) {
			int burst = 1 + random.nextInt(40);
			for (int i = 0; i < burst; i++) {
				offer(event(++id, "zzzzz-4zz18-object" + random.nextInt(6)));
			}
			switch (random.nextInt(4)) {
				case 0 -> {
					CountDownLatch stopped = new CountDownLatch(1);
					this.dispatcher.stop(stopped::countDown);
					assertThat(stopped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
					lastOfObject.clear();
					this.dispatcher.start();
				}
				case 1 -> {
					this.dispatcher.stopNow();
					await().atMost(WAIT).until(() -> !this.dispatcher.isRunning());
					lastOfObject.clear();
					this.dispatcher.start();
				}
				default -> LockSupport.parkNanos(random.nextInt(2_000_000));
			}
		}
		CountDownLatch stopped = new CountDownLatch(1);
		this.dispatcher.stop(stopped::countDown);
		assertThat(stopped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		this.handled.forEach((handledId) -> outcomes.computeIfAbsent(handledId, (key) -> new AtomicInteger())
			.incrementAndGet());
		List<String> wrong = new ArrayList<>(this.violations);
		for (long each = 1; each <= id; each++) {
			AtomicInteger count = outcomes.get(each);
			if (count == null || count.get() != 1) {
				wrong.add("event " + each + " ended " + ((count != null) ? count.get() : 0) + " times");
			}
		}
		assertThat(wrong).as("seed %d (replay with -Dconcurrency.seed=%d)", seed, seed).isEmpty();
	}

	@Test
	void differentObjectsRunInParallel() throws Exception {
		CountDownLatch secondStarted = new CountDownLatch(1);
		AtomicReference<Boolean> firstSawSecond = new AtomicReference<>();
		start(2, 16, (event) -> {
			if (event.id() == 1) {
				// With one thread the second could not start while this one waits.
				firstSawSecond.set(awaitLatch(secondStarted));
			}
			else {
				secondStarted.countDown();
			}
		});
		offer(event(1, "zzzzz-4zz18-aaaaaaaaaaaaaaa"));
		offer(event(2, "zzzzz-4zz18-bbbbbbbbbbbbbbb"));
		await().atMost(WAIT).until(() -> this.handled.size() == 2);
		assertThat(firstSawSecond.get()).isTrue();
	}

	@Test
	void aSlowObjectDoesNotHoldTheOthersBack() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		start(4, 16, (event) -> {
			if (event.objectUuid().endsWith("slow")) {
				awaitLatch(release);
			}
		});
		offer(event(1, "zzzzz-4zz18-slow"));
		offer(event(2, "zzzzz-4zz18-slow"));
		for (long id = 3; id <= 10; id++) {
			offer(event(id, "zzzzz-4zz18-fast" + id));
		}
		await().atMost(WAIT).until(() -> this.handled.size() == 8);
		assertThat(this.handled).doesNotContain(1L, 2L);
		assertThat(this.dispatcher.handlersInFlight()).isEqualTo(2);
		assertThat(this.dispatcher.objectsInFlight()).isEqualTo(1);
		release.countDown();
		await().atMost(WAIT).until(() -> this.handled.size() == 10);
		assertThat(this.handled.indexOf(1L)).isLessThan(this.handled.indexOf(2L));
	}

	@Test
	void aNoticeWaitsForEveryEventQueuedBeforeIt() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		CountDownLatch release = new CountDownLatch(1);
		ApplicationEventPublisher publisher = (published) -> {
			Object payload = Published.payload(published);
			if (payload instanceof ArvadosEvent event) {
				if (event.id() == 1) {
					awaitLatch(release);
				}
				seen.add("event " + event.id());
			}
			else {
				seen.add("notice");
			}
		};
		this.dispatcher = new EventDispatcher(16, DispatchMode.QUEUED, 4, Long.MAX_VALUE, publisher,
				(event, handler, error) -> {
				}, this::markHandled, (death) -> {
				}, (event) -> {
				});
		this.dispatcher.start();
		offer(event(1, "zzzzz-4zz18-aaaaaaaaaaaaaaa"));
		offer(event(2, "zzzzz-4zz18-bbbbbbbbbbbbbbb"));
		assertThat(this.dispatcher.offerNotice(new ApplicationEvent(this) {
		}, WAIT)).isTrue();
		await().atMost(WAIT).until(() -> seen.contains("event 2"));
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !seen.contains("notice"));
		release.countDown();
		await().atMost(WAIT).until(() -> seen.contains("notice"));
		assertThat(seen.indexOf("notice")).isEqualTo(2);
	}

	@Test
	void aStopRunsItsCallbackAfterEveryHandlerAndCountsEachEventOnce() throws Exception {
		start(4, 64, (event) -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(event.id() % 3)));
		for (long id = 1; id <= 100; id++) {
			offer(event(id, "zzzzz-4zz18-object" + (id % 7)));
		}
		CountDownLatch stopped = new CountDownLatch(1);
		List<Integer> handledAtStop = new ArrayList<>();
		this.dispatcher.stop(() -> {
			handledAtStop.add(this.handled.size());
			stopped.countDown();
		});
		assertThat(stopped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(handledAtStop).containsExactly(100);
		assertThat(this.handled).doesNotHaveDuplicates().hasSize(100);
	}

	@Test
	void aRefusedGateHandsNothingMoreAndLetsGoWhatWaitedForItsObject() throws Exception {
		AtomicReference<EventDispatcher.Verdict> verdict = new AtomicReference<>(EventDispatcher.Verdict.HAND);
		List<Long> letGo = new CopyOnWriteArrayList<>();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch busy = new CountDownLatch(1);
		start(2, 16, (event) -> {
			if (event.id() == 1) {
				busy.countDown();
				awaitLatch(release);
			}
		});
		CountDownLatch refused = new CountDownLatch(1);
		this.dispatcher.setGate(verdict::get, refused::countDown);
		this.dispatcher.setOnLetGo((events) -> events.forEach((event) -> letGo.add(event.id())));
		offer(event(1, "zzzzz-4zz18-aaaaaaaaaaaaaaa"));
		offer(event(2, "zzzzz-4zz18-aaaaaaaaaaaaaaa"));
		assertThat(busy.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		await().atMost(WAIT).until(() -> this.dispatcher.handlersInFlight() == 2);
		verdict.set(EventDispatcher.Verdict.REFUSE);
		offer(event(3, "zzzzz-4zz18-bbbbbbbbbbbbbbb"));
		assertThat(refused.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		release.countDown();
		await().atMost(WAIT).until(() -> !this.dispatcher.isRunning());
		// 1 was running: it finishes, but the run was abandoned, so it does not count; 2 waited for its object.
		assertThat(this.handled).isEmpty();
		assertThat(letGo).containsExactlyInAnyOrder(1L, 2L, 3L);
	}

	// As at a concurrency of 1, where the interrupted dispatching thread is the handler's: a handler that waits (a
	// retry's back-off, a blocking call) ends at a hard stop instead of holding it.
	@Test
	void aHardStopInterruptsTheHandlersThatRun() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		start(2, 16, (event) -> {
			running.countDown();
			try {
				Thread.sleep(WAIT.toMillis());
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		offer(event(1, "zzzzz-4zz18-aaaaaaaaaaaaaaa"));
		assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		this.dispatcher.stopNow();
		assertThat(interrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		await().atMost(WAIT).until(() -> !this.dispatcher.isRunning());
		assertThat(this.handled).isEmpty();
	}

	@Test
	void directDispatchTakesAConcurrencyOfOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EventDispatcher(16, DispatchMode.DIRECT, 4, Long.MAX_VALUE, (event) -> {
			}, (event, handler, error) -> {
			}, this::markHandled, (death) -> {
			}, (event) -> {
			}))
			.withMessageContaining("concurrency of 1");
	}

	private void start(int concurrency, int capacity, Consumer<ArvadosEvent> listener) {
		ApplicationEventPublisher publisher = (event) -> listener.accept((ArvadosEvent) Published.payload(event));
		this.dispatcher = new EventDispatcher(capacity, DispatchMode.QUEUED, concurrency, Long.MAX_VALUE, publisher,
				(event, handler, error) -> {
				}, this::markHandled, (death) -> {
				}, (event) -> {
				});
		this.dispatcher.start();
	}

	private void markHandled(ArvadosEvent event) {
		this.handled.add(event.id());
	}

	private void offer(ArvadosEvent event) throws InterruptedException {
		assertThat(this.dispatcher.offer(event, WAIT)).isTrue();
	}

	private static boolean awaitLatch(CountDownLatch latch) {
		try {
			return latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static ArvadosEvent event(long id, String objectUuid) {
		return new ArvadosEvent(id, "zzzzz-57u5n-" + id, objectUuid, "", "arvados#collection", "update", null,
				Map.of(), "{}");
	}

}
