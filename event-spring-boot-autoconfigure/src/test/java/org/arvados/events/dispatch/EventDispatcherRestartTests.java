package org.arvados.events.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;

import static org.arvados.events.dispatch.EventDispatcherSurvivalTests.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Stopping and starting again while the handlers still work through what was queued before the stop: never two
 * dispatching threads, and every stop callback runs once. A handler may stop the dispatcher, not start it.
 */
class EventDispatcherRestartTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicInteger mostAtOnce = new AtomicInteger();

	private final List<Long> handled = new CopyOnWriteArrayList<>();

	private final List<String> threads = new CopyOnWriteArrayList<>();

	private EventDispatcher dispatcher = new EventDispatcher(16, this::handle, (event, handler, error) -> {
	}, (event) -> this.handled.add(event.id()));

	@AfterEach
	void stop() {
		this.release.countDown();
		this.dispatcher.stopNow();
	}

	@Test
	void startRefusesWhileThePreviousThreadStillDrainsAndTheFirstStopCallbackStillRuns() throws Exception {
		this.dispatcher.start();
		offer(1);
		offer(2);
		await().atMost(WAIT).until(() -> this.running.get() == 1);
		AtomicInteger stopped = new AtomicInteger();
		this.dispatcher.stop(stopped::incrementAndGet);
		assertThatIllegalStateException().isThrownBy(() -> this.dispatcher.start(Duration.ofMillis(100)))
			.withMessageContaining("still handling");
		this.release.countDown();
		await().atMost(WAIT).until(() -> stopped.get() == 1);
		assertThat(this.handled).containsExactly(1L, 2L);
		this.dispatcher.start();
		offer(3);
		await().atMost(WAIT).until(() -> this.handled.contains(3L));
		assertThat(this.mostAtOnce.get()).isEqualTo(1);
		assertThat(stopped.get()).isEqualTo(1);
	}

	@Test
	void startWaitsForThePreviousThreadToFinishItsDrain() throws Exception {
		this.dispatcher.start();
		offer(1);
		offer(2);
		await().atMost(WAIT).until(() -> this.running.get() == 1);
		List<String> order = new CopyOnWriteArrayList<>();
		this.dispatcher.stop(() -> order.add("stopped after " + this.handled));
		AtomicReference<Throwable> startFailure = new AtomicReference<>();
		Thread starter = new Thread(() -> {
			try {
				this.dispatcher.start(WAIT);
				order.add("started");
			}
			catch (Throwable ex) {
				startFailure.set(ex);
			}
		});
		starter.start();
		await().atMost(WAIT).until(() -> starter.getState() == Thread.State.TIMED_WAITING);
		offer(3);
		this.release.countDown();
		starter.join(WAIT.toMillis());
		assertThat(startFailure.get()).isNull();
		await().atMost(WAIT).until(() -> this.handled.contains(3L));
		// The old thread drained all it had, 3 included, before its callback; only then did the new one start.
		assertThat(order).containsExactly("stopped after [1, 2, 3]", "started");
		assertThat(this.mostAtOnce.get()).isEqualTo(1);
	}

	@Test
	void everyStopCallbackRunsOnce() throws Exception {
		this.dispatcher.start();
		offer(1);
		await().atMost(WAIT).until(() -> this.running.get() == 1);
		AtomicInteger first = new AtomicInteger();
		AtomicInteger second = new AtomicInteger();
		this.dispatcher.stop(first::incrementAndGet);
		this.dispatcher.stop(second::incrementAndGet);
		this.release.countDown();
		await().atMost(WAIT).until(() -> first.get() == 1 && second.get() == 1);
		AtomicInteger third = new AtomicInteger();
		this.dispatcher.stop(third::incrementAndGet);
		assertThat(third.get()).as("not running: at once").isEqualTo(1);
		assertThat(first.get() + second.get()).isEqualTo(2);
	}

	@Test
	void aHandlerMayStopTheDispatcherButNotStartIt() throws Exception {
		AtomicReference<Throwable> startFromHandler = new AtomicReference<>();
		CountDownLatch stopped = new CountDownLatch(1);
		List<String> stoppedOn = new CopyOnWriteArrayList<>();
		this.dispatcher = new EventDispatcher(16, (event) -> {
			this.threads.add(Thread.currentThread().getName());
			if (((ArvadosEvent) Published.payload(event)).id() == 1) {
				assertThat(this.dispatcher.isDispatchThread()).isTrue();
				// Returns at once: the stop happens after this handler returns and the queue is drained.
				this.dispatcher.stop(() -> {
					stoppedOn.add(Thread.currentThread().getName());
					stopped.countDown();
				});
				try {
					this.dispatcher.start();
				}
				catch (Throwable ex) {
					startFromHandler.set(ex);
				}
			}
		}, (event, handler, error) -> {
		}, (event) -> this.handled.add(event.id()));
		this.dispatcher.start();
		offer(1);
		offer(2);
		assertThat(stopped.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(this.handled).containsExactly(1L, 2L);
		assertThat(startFromHandler.get()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("from one of its own handlers");
		assertThat(this.threads).containsOnly("arvados-events-dispatch");
		assertThat(stoppedOn).containsExactly("arvados-events-dispatch");
		assertThat(this.dispatcher.isDispatchThread()).isFalse();
	}

	private void handle(Object event) {
		int now = this.running.incrementAndGet();
		this.mostAtOnce.accumulateAndGet(now, Math::max);
		try {
			if (((ArvadosEvent) Published.payload(event)).id() == 1) {
				this.release.await();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.running.decrementAndGet();
		}
	}

	private void offer(long id) throws InterruptedException {
		assertThat(this.dispatcher.offer(event(id), WAIT)).isTrue();
	}

}
