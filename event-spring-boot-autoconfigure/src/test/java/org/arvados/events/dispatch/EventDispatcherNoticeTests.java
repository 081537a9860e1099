package org.arvados.events.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A notice keeps its place among the events; the tap (the pull listeners) sees each event before the handlers,
 * and one that throws stops neither.
 */
class EventDispatcherNoticeTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<Object> published = new CopyOnWriteArrayList<>();

	private final List<Object> seen = new CopyOnWriteArrayList<>();

	private final EventDispatcher dispatcher = new EventDispatcher(16, this::publish, (event, handler, error) -> {
	}, (event) -> {
	}, (death) -> {
	}, this::tap);

	private void publish(Object published) {
		Object event = Published.payload(published);
		this.seen.add("handlers " + ((event instanceof ArvadosEvent arvados) ? arvados.id() : "notice"));
		this.published.add(event);
	}

	private void tap(ArvadosEvent event) {
		this.seen.add("tap " + event.id());
		if (event.id() == 2) {
			throw new IllegalStateException("a broken tap");
		}
	}

	@AfterEach
	void stop() {
		this.dispatcher.stopNow();
	}

	@Test
	void aNoticeIsPublishedAfterTheEventsQueuedBeforeItAndTheTapSeesEachEventFirst() throws Exception {
		ApplicationEvent notice = new ApplicationEvent(this) {
		};
		this.dispatcher.offer(event(1), WAIT);
		this.dispatcher.offer(event(2), WAIT);
		this.dispatcher.offerNotice(notice, WAIT);
		this.dispatcher.offer(event(3), WAIT);
		this.dispatcher.start();
		await().atMost(WAIT).until(() -> this.published.size() == 4);
		assertThat(this.published.get(2)).isSameAs(notice);
		assertThat(this.seen).containsExactly("tap 1", "handlers 1", "tap 2", "handlers 2", "handlers notice", "tap 3",
				"handlers 3");
	}

	private static ArvadosEvent event(long id) {
		return new ArvadosEvent(id, "zzzzz-57u5n-00000000000000" + id, "zzzzz-4zz18-000000000000000", "", "", "update",
				Instant.now(), Map.of(), "{}");
	}

}
