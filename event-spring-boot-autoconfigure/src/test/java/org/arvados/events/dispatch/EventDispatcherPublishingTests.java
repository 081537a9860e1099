package org.arvados.events.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.ArvadosEvent;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher publishes each event as the context itself would: plain {@code @EventListener} methods for
 * {@link ArvadosEvent}, and listeners of {@code PayloadApplicationEvent<ArvadosEvent>}, receive it.
 */
class EventDispatcherPublishingTests {

	@Test
	void listenersOfThePayloadAndOfItsWrapperReceiveEachEventAndOthersDoNot() throws Exception {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Listeners.class,
				WrapperListener.class)) {
			EventDispatcher dispatcher = new EventDispatcher(16, context, (event, handler, error) -> {
			}, (event) -> {
			});
			dispatcher.start();
			try {
				for (long id = 1; id <= 3; id++) {
					dispatcher.offer(new ArvadosEvent(id, "", "zzzzz-4zz18-" + id, "", "arvados#collection", "update",
							Instant.now(), Map.of(), "{}"), Duration.ofSeconds(1));
				}
				Listeners listeners = context.getBean(Listeners.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> listeners.events.size() == 3);
				assertThat(listeners.events).extracting(ArvadosEvent::id).containsExactly(1L, 2L, 3L);
				assertThat(context.getBean(WrapperListener.class).ids).containsExactly(1L, 2L, 3L);
				assertThat(listeners.strings).isEmpty();
			}
			finally {
				dispatcher.stopNow();
			}
		}
	}

	static class Listeners {

		final List<ArvadosEvent> events = new CopyOnWriteArrayList<>();

		final List<String> strings = new CopyOnWriteArrayList<>();

		@EventListener
		void on(ArvadosEvent event) {
			this.events.add(event);
		}

		@EventListener
		void on(String other) {
			this.strings.add(other);
		}

	}

	static class WrapperListener implements ApplicationListener<PayloadApplicationEvent<ArvadosEvent>> {

		final List<Long> ids = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<ArvadosEvent> event) {
			this.ids.add(event.getPayload().id());
		}

	}

}
