package org.arvados.events.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Direct mode: a producer handles an event itself only when nothing is queued or being handled, and what is queued
 * behind a claimed event waits for its handlers, so the order and the one-at-a-time rule hold across both threads
 * (also under a race of claims and queued notices, which a dispatching thread that skipped the lock fails).
 */
class EventDispatcherDirectTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<String> seen = new CopyOnWriteArrayList<>();

	private final List<Long> handled = new CopyOnWriteArrayList<>();

	private final CountDownLatch gate = new CountDownLatch(1);

	private volatile long heldId = -1;

	private final List<Boolean> dispatchThread = new CopyOnWriteArrayList<>();

	private final EventDispatcher dispatcher = new EventDispatcher(16, DispatchMode.DIRECT, this::publish,
			(event, handler, error) -> {
			}, (event) -> this.handled.add(event.id()), (death) -> {
			}, (event) -> {
			});

	private void publish(Object published) {
		Object payload = Published.payload(published);
		String name = (payload instanceof ArvadosEvent event) ? "event " + event.id() : "notice";
		this.seen.add(name + " on " + Thread.currentThread().getName());
		this.dispatchThread.add(this.dispatcher.isDispatchThread());
		if (payload instanceof ArvadosEvent event && event.id() == this.heldId) {
			try {
				this.gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.seen.add(name + " done");
	}

	@AfterEach
	void stop() {
		this.gate.countDown();
		this.dispatcher.stopNow();
	}

	@Test
	void anIdleDispatcherLetsTheCallerHandleTheEventOnItsOwnThread() {
		this.dispatcher.start();
		assertThat(this.dispatcher.tryClaim()).isTrue();
		this.dispatcher.handleClaimed(event(1));
		assertThat(this.seen).containsExactly("event 1 on " + Thread.currentThread().getName(), "event 1 done");
		assertThat(this.handled).containsExactly(1L);
		assertThat(this.dispatcher.isDispatchThread()).isFalse();
	}

	@Test
	void whatIsQueuedBehindAClaimedEventWaitsForItsHandlers() throws Exception {
		this.dispatcher.start();
		this.heldId = 1;
		CompletableFuture<Void> reader = claimAndHandleEventOneOn("reader");
		await().atMost(WAIT).until(() -> this.seen.size() == 1);
		this.dispatcher.offer(event(2), WAIT);
		this.dispatcher.offerNotice(new ApplicationEvent(this) {
		}, WAIT);
		assertThat(this.dispatcher.tryClaim()).as("something is being handled").isFalse();
		this.gate.countDown();
		reader.get(10, TimeUnit.SECONDS);
		await().atMost(WAIT).until(() -> this.seen.size() == 6);
		assertThat(this.seen).containsExactly(this.seen.get(0), "event 1 done", "event 2 on arvados-events-dispatch",
				"event 2 done", "notice on arvados-events-dispatch", "notice done");
		assertThat(this.handled).containsExactly(1L, 2L);
		await().pollInSameThread().atMost(WAIT).until(this.dispatcher::tryClaim);
		this.dispatcher.handleClaimed(event(3));
		assertThat(this.handled).containsExactly(1L, 2L, 3L);
	}

	@Test
	void aClaimedEventBeingHandledCountsAsInFlightAndItsThreadAsTheDispatchThread() throws Exception {
		this.dispatcher.start();
		this.heldId = 1;
		CompletableFuture<Void> reader = claimAndHandleEventOneOn("reader");
		await().atMost(WAIT).until(() -> this.seen.size() == 1);
		// Longer than the dispatching thread's wait on an empty queue: it must not clear the claimed event.
		await().during(Duration.ofMillis(300))
			.atMost(WAIT)
			.until(() -> event(1).eventAt().equals(this.dispatcher.oldestUnhandledEventAt()));
		assertThat(this.seen.get(0)).isEqualTo("event 1 on reader");
		assertThat(this.dispatchThread).containsExactly(true);
		this.gate.countDown();
		reader.get(10, TimeUnit.SECONDS);
		assertThat(this.dispatcher.oldestUnhandledEventAt()).isNull();
	}

	@Test
	void aStopWaitsForTheHandlersOfAClaimedEventBeforeItsCallbacksAndRefusesNewClaims() throws Exception {
		this.dispatcher.start();
		this.heldId = 1;
		CompletableFuture<Void> reader = claimAndHandleEventOneOn("reader");
		await().atMost(WAIT).until(() -> this.seen.size() == 1);
		this.dispatcher.stop(() -> this.seen.add("stopped"));
		assertThat(this.dispatcher.tryClaim()).isFalse();
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !this.seen.contains("stopped"));
		this.gate.countDown();
		reader.get(10, TimeUnit.SECONDS);
		await().atMost(WAIT).until(() -> this.seen.contains("stopped"));
		assertThat(this.seen.subList(1, 3)).containsExactly("event 1 done", "stopped");
		assertThat(this.dispatcher.tryClaim()).as("not running").isFalse();
	}

	@Test
	void handlersNeverOverlapAndKeepTheOrderWhileAReaderClaimsAndAnotherThreadQueues() throws Exception {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		List<Long> order = new CopyOnWriteArrayList<>();
		AtomicInteger claims = new AtomicInteger();
		EventDispatcher busy = new EventDispatcher(8, DispatchMode.DIRECT, (published) -> {
			if (running.incrementAndGet() > 1) {
				overlaps.incrementAndGet();
			}
			if (Published.payload(published) instanceof ArvadosEvent event) {
				order.add(event.id());
			}
			// Long enough for the other thread's notices to come while a claimed event is being handled.
			long busyUntil = System.nanoTime() + 20_000;
			while (System.nanoTime() - busyUntil < 0) {
				Thread.onSpinWait();
			}
			running.decrementAndGet();
		}, (event, handler, error) -> {
		}, (event) -> {
		}, (death) -> {
		}, (event) -> {
		});
		busy.start();
		int each = 20_000;
		try {
			CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
				try {
					for (long id = 1; id <= each; id++) {
						if (busy.tryClaim()) {
							claims.incrementAndGet();
							busy.handleClaimed(event(id));
						}
						else {
							busy.offer(event(id), WAIT);
						}
					}
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			// Notices all along, so that some come while a claimed event is being handled.
			CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
				try {
					while (!reader.isDone()) {
						busy.offerNotice(new ApplicationEvent(this) {
						}, WAIT);
						LockSupport.parkNanos(50_000);
					}
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			reader.get(60, TimeUnit.SECONDS);
			other.get(60, TimeUnit.SECONDS);
			await().atMost(WAIT).until(() -> order.size() == each);
			assertThat(overlaps).hasValue(0);
			assertThat(order).isSorted().doesNotHaveDuplicates();
			assertThat(claims.get()).as("some were handled on the reader, some went through the queue")
				.isBetween(1, each - 1);
		}
		finally {
			busy.stopNow();
		}
	}

	@Test
	void queuedModeNeverLetsTheCallerClaim() {
		EventDispatcher queued = new EventDispatcher(16, DispatchMode.QUEUED, this::publish, (event, handler, error) -> {
		}, (event) -> {
		}, (death) -> {
		}, (event) -> {
		});
		queued.start();
		try {
			assertThat(queued.tryClaim()).isFalse();
			assertThatIllegalStateException().isThrownBy(() -> queued.handleClaimed(event(1)));
		}
		finally {
			queued.stopNow();
		}
	}

	// Event 1, claimed and handled on a thread of its own, as the socket reader would.
	private CompletableFuture<Void> claimAndHandleEventOneOn(String threadName) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		new Thread(() -> {
			try {
				assertThat(this.dispatcher.tryClaim()).isTrue();
				this.dispatcher.handleClaimed(event(1));
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
		}, threadName).start();
		return done;
	}

	private static ArvadosEvent event(long id) {
		return new ArvadosEvent(id, "zzzzz-57u5n-00000000000000" + id, "zzzzz-4zz18-000000000000000", "", "", "update",
				Instant.parse("2026-11-29T12:00:00Z").plusSeconds(id), Map.of(), "{}");
	}

}
