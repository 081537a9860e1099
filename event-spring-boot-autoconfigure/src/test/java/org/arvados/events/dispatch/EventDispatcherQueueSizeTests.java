package org.arvados.events.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The queue is bounded in the size of what waits as well as in events: many large events do not all wait at once.
 */
class EventDispatcherQueueSizeTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<Long> handled = new CopyOnWriteArrayList<>();

	private final CountDownLatch gate = new CountDownLatch(1);

	private EventDispatcher dispatcher;

	@AfterEach
	void stop() {
		this.gate.countDown();
		this.dispatcher.stopNow();
	}

	@Test
	void anEventThatWouldTakeTheQueuePastItsSizeWaitsUntilRoomIsMade() throws Exception {
		start(1000);
		// Event 1 is taken by the handler, which holds it; 2 and 3 wait, 600 + 600 characters: 3 must wait.
		assertThat(this.dispatcher.offer(event(1, 600), WAIT)).isTrue();
		assertThat(this.dispatcher.offer(event(2, 300), WAIT)).isTrue();
		assertThat(this.dispatcher.offer(event(3, 300), Duration.ofMillis(200))).as("past the size").isFalse();
		this.gate.countDown();
		assertThat(this.dispatcher.offer(event(3, 300), WAIT)).isTrue();
		await().atMost(WAIT).until(() -> this.handled.size() == 3);
		assertThat(this.handled).containsExactly(1L, 2L, 3L);
	}

	@Test
	void anEventLargerThanTheSizeStillPassesAlone() throws Exception {
		start(100);
		this.gate.countDown();
		assertThat(this.dispatcher.offer(event(1, 5000), WAIT)).isTrue();
		assertThat(this.dispatcher.offer(event(2, 5000), WAIT)).isTrue();
		await().atMost(WAIT).until(() -> this.handled.size() == 2);
	}

	private void start(long maxQueuedChars) {
		ApplicationEventPublisher publisher = (event) -> {
			try {
				this.gate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		this.dispatcher = new EventDispatcher(16, DispatchMode.QUEUED, maxQueuedChars, publisher,
				(event, handler, error) -> {
				}, (event) -> this.handled.add(event.id()), (death) -> {
				}, (event) -> {
				});
		this.dispatcher.start();
	}

	private static ArvadosEvent event(long id, int chars) {
		String json = "{\"id\":" + id + ",\"x\":\"" + "x".repeat(chars - 14 - Long.toString(id).length()) + "\"}";
		assertThat(json).hasSize(chars);
		return new ArvadosEvent(id, "zzzzz-57u5n-" + id, "zzzzz-4zz18-0123456789abcde", "", "arvados#collection",
				"update", null, Map.of(), json);
	}

}
