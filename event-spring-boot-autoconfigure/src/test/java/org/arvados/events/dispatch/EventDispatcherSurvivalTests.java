package org.arvados.events.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing but a stop ends the dispatching thread: not an {@link Error} from a listener, from the error handler or
 * from marking an event handled (the checkpoint store), not an interrupt a handler left behind. Should it end
 * anyway, it says so.
 */
class EventDispatcherSurvivalTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<Long> handled = new CopyOnWriteArrayList<>();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final AtomicReference<Throwable> death = new AtomicReference<>();

	private EventDispatcher dispatcher;

	@AfterEach
	void stop() {
		if (this.dispatcher != null) {
			this.dispatcher.stopNow();
		}
	}

	@Test
	void anErrorFromAPlainListenerIsHandedToTheErrorHandlerAndTheNextEventIsHandled() throws Exception {
		start((event) -> {
			if (event.id() == 1) {
				throw new StackOverflowError("listener recursed");
			}
		}, recordingErrorHandler(), this::markHandled);
		offer(1);
		offer(2);
		await().atMost(WAIT).until(() -> this.handled.contains(2L));
		assertThat(this.handled).containsExactly(1L, 2L);
		assertThat(this.errors).singleElement().isInstanceOf(StackOverflowError.class);
		assertThat(this.death.get()).isNull();
	}

	@Test
	void anErrorFromTheErrorHandlerDoesNotEndTheThread() throws Exception {
		start((event) -> {
			throw new IllegalStateException("handler failed on " + event.id());
		}, (event, handler, error) -> {
			throw new AssertionError("error handler failed too");
		}, this::markHandled);
		offer(1);
		offer(2);
		await().atMost(WAIT).until(() -> this.handled.contains(2L));
		assertThat(this.handled).containsExactly(1L, 2L);
		assertThat(this.death.get()).isNull();
	}

	@Test
	void anErrorFromMarkingAnEventHandledDoesNotEndTheThread() throws Exception {
		start((event) -> {
		}, recordingErrorHandler(), (event) -> {
			markHandled(event);
			if (event.id() == 1) {
				throw new NoClassDefFoundError("com/example/CheckpointDriver");
			}
		});
		offer(1);
		offer(2);
		await().atMost(WAIT).until(() -> this.handled.contains(2L));
		assertThat(this.death.get()).isNull();
	}

	@Test
	void anInterruptAHandlerLeftBehindIsNotAStop() throws Exception {
		start((event) -> {
			if (event.id() == 1) {
				Thread.currentThread().interrupt();
			}
		}, recordingErrorHandler(), this::markHandled);
		offer(1);
		offer(2);
		await().atMost(WAIT).until(() -> this.handled.contains(2L));
		assertThat(this.handled).containsExactly(1L, 2L);
		assertThat(this.dispatcher.isRunning()).isTrue();
	}

	@Test
	void aThreadThatDiesAnywayIsReportedAndAStopStillRunsItsCallback() throws Exception {
		// A failure that even its report cannot survive: the error handler throws, and logging that throws again.
		UnloggableError unloggable = new UnloggableError();
		start((event) -> {
			throw new IllegalStateException("handler failed");
		}, (event, handler, error) -> {
			throw unloggable;
		}, this::markHandled);
		offer(1);
		await().atMost(WAIT).until(() -> this.death.get() != null);
		assertThat(this.dispatcher.failure()).isSameAs(this.death.get());
		assertThat(this.dispatcher.isRunning()).isFalse();
		CountDownLatch stopped = new CountDownLatch(1);
		this.dispatcher.stop(stopped::countDown);
		assertThat(stopped.getCount()).as("a dead dispatcher stops at once").isZero();
		// And it can be started again.
		this.dispatcher.start();
		assertThat(this.dispatcher.failure()).isNull();
		assertThat(this.dispatcher.isRunning()).isTrue();
	}

	@Test
	void aClosedGateHandsNoEventAndEndsTheThreadSayingSo() throws Exception {
		java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
		start((event) -> {
		}, recordingErrorHandler(), this::markHandled);
		this.dispatcher.setGate(() -> open.get() ? EventDispatcher.Verdict.HAND : EventDispatcher.Verdict.REFUSE,
				closed::incrementAndGet);
		offer(1);
		await().atMost(WAIT).until(() -> this.handled.contains(1L));
		open.set(false);
		offer(2);
		await().atMost(WAIT).until(() -> !this.dispatcher.isRunning());
		assertThat(closed).hasValue(1);
		assertThat(this.handled).containsExactly(1L);
		assertThat(this.death.get()).isNull();
	}

	@Test
	void aGateThatSaysWaitHoldsTheEventUntilItSaysHand() throws Exception {
		java.util.concurrent.atomic.AtomicReference<EventDispatcher.Verdict> verdict =
				new java.util.concurrent.atomic.AtomicReference<>(EventDispatcher.Verdict.WAIT);
		start((event) -> {
		}, recordingErrorHandler(), this::markHandled);
		this.dispatcher.setGate(verdict::get, () -> {
		});
		offer(1);
		await().during(java.time.Duration.ofMillis(200)).atMost(WAIT).until(this.handled::isEmpty);
		verdict.set(EventDispatcher.Verdict.HAND);
		await().atMost(WAIT).until(() -> this.handled.contains(1L));
		assertThat(this.dispatcher.isRunning()).isTrue();
	}

	// Chaos seed -8762206603343979173: a revoke's stop waited at a closed gate (saves failing) until the lease went
	// stale; the refused run left four events queued, and the next grant's run handed them in its new lead term,
	// before reading them again from the saved position.
	@Test
	void whatARefusedRunLeftQueuedReachesNoHandlerInTheNextRunAndIsLetGo() throws Exception {
		AtomicReference<EventDispatcher.Verdict> verdict = new AtomicReference<>(EventDispatcher.Verdict.WAIT);
		List<Long> letGo = new CopyOnWriteArrayList<>();
		start((event) -> {
		}, recordingErrorHandler(), this::markHandled);
		this.dispatcher.setGate(verdict::get, () -> {
		});
		this.dispatcher.setOnLetGo((events) -> events.forEach((event) -> letGo.add(event.id())));
		offer(1);
		offer(2);
		offer(3);
		CountDownLatch stopped = new CountDownLatch(1);
		this.dispatcher.stop(stopped::countDown);
		verdict.set(EventDispatcher.Verdict.REFUSE);
		assertThat(stopped.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		// Queued by a producer of that run after it ended.
		offer(4);
		verdict.set(EventDispatcher.Verdict.HAND);
		this.dispatcher.start();
		offer(5);
		await().atMost(WAIT).until(() -> this.handled.contains(5L));
		assertThat(this.handled).containsExactly(5L);
		assertThat(letGo).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
	}

	@Test
	void whatAStoppedRunLeftQueuedIsHandedByTheNextRun() throws Exception {
		start((event) -> {
		}, recordingErrorHandler(), this::markHandled);
		CountDownLatch stopped = new CountDownLatch(1);
		this.dispatcher.stop(stopped::countDown);
		assertThat(stopped.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		offer(1);
		this.dispatcher.start();
		await().atMost(WAIT).until(() -> this.handled.contains(1L));
	}

	private void start(Consumer<ArvadosEvent> listener, EventHandlerErrorHandler errorHandler,
			Consumer<ArvadosEvent> onHandled) {
		ApplicationEventPublisher publisher = (event) -> listener.accept((ArvadosEvent) Published.payload(event));
		this.dispatcher = new EventDispatcher(16, publisher, errorHandler, onHandled, this.death::set);
		this.dispatcher.start();
	}

	private EventHandlerErrorHandler recordingErrorHandler() {
		return (event, handler, error) -> this.errors.add(error);
	}

	private void markHandled(ArvadosEvent event) {
		this.handled.add(event.id());
	}

	private void offer(long id) throws InterruptedException {
		assertThat(this.dispatcher.offer(event(id), WAIT)).isTrue();
	}

	static ArvadosEvent event(long id) {
		return new ArvadosEvent(id, "zzzzz-57u5n-" + id, "zzzzz-4zz18-0123456789abcde", "", "arvados#collection",
				"update", null, Map.of(), "{}");
	}

	/** Its message cannot be read, so logging it fails. */
	static final class UnloggableError extends Error {

		@Override
		public String getMessage() {
			throw new IllegalStateException("unloggable");
		}

	}

}
