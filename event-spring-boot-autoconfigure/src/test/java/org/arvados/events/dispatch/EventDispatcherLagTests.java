package org.arvados.events.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the lag is measured from: the oldest event not handled yet, in flight or queued; nothing once all are.
 */
class EventDispatcherLagTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger handled = new AtomicInteger();

	private final EventDispatcher dispatcher = new EventDispatcher(16, (event) -> {
		if (((ArvadosEvent) Published.payload(event)).id() == 1) {
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}, (event, handler, error) -> {
	}, (event) -> this.handled.incrementAndGet());

	@AfterEach
	void stop() {
		this.release.countDown();
		this.dispatcher.stopNow();
	}

	@Test
	void theEventInFlightThenTheHeadOfTheQueueThenNothing() throws Exception {
		assertThat(this.dispatcher.oldestUnhandledEventAt()).as("nothing yet").isNull();
		// Queued before the thread runs: the head of the queue.
		this.dispatcher.offer(event(1, T0), WAIT);
		this.dispatcher.offer(event(2, T0.plusSeconds(5)), WAIT);
		assertThat(this.dispatcher.oldestUnhandledEventAt()).isEqualTo(T0);
		this.dispatcher.start();
		// In flight, with a newer one queued behind it: still the one in flight.
		await().atMost(WAIT).until(() -> this.dispatcher.queueDepth() == 1);
		assertThat(this.dispatcher.oldestUnhandledEventAt()).isEqualTo(T0);
		this.release.countDown();
		await().atMost(WAIT).until(() -> this.handled.get() == 2);
		await().atMost(WAIT).until(() -> this.dispatcher.oldestUnhandledEventAt() == null);
	}

	private static ArvadosEvent event(long id, Instant eventAt) {
		return new ArvadosEvent(id, "zzzzz-57u5n-" + id, "zzzzz-4zz18-0123456789abcde", "", "arvados#collection",
				"update", eventAt, Map.of(), "{}");
	}

}
