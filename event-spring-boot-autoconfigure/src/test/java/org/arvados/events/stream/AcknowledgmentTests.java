package org.arvados.events.stream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.Acknowledgment;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.annotation.EventHandler;
import org.arvados.events.autoconfigure.checkpoint.ArvadosEventsCheckpointAutoConfiguration;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@code @EventHandler} that takes an {@link Acknowledgment} holds the resume position at its event until it
 * acknowledges, from any thread; a restart delivers again what was not acknowledged.
 */
class AcknowledgmentTests {

	private static final AutoConfigurations FILE_STORE = AutoConfigurations
		.of(ArvadosEventsCheckpointAutoConfiguration.class);

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void thePositionWaitsForEachAcknowledgmentWhateverThreadItComesFrom(String transport) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=" + transport, "arvados.events.polling.interval=50ms")
				.withUserConfiguration(Deferring.class)
				.run((context) -> {
					awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					Deferring handler = context.getBean(Deferring.class);
					List<LogEntry> events = new ArrayList<>();
					for (int i = 0; i < 4; i++) {
						events.add(emit(cluster));
					}
					await().atMost(WAIT).until(() -> handler.seen.size() == 4);
					long first = events.get(0).id();
					assertThat(handler.seen).isEqualTo(ids(events));
					assertThat(subscription.state().lowWaterMark()).isEqualTo(first - 1);
					// The later ones, from another thread: the first still holds the position.
					CompletableFuture.runAsync(() -> handler.acknowledge(events.get(1), events.get(2))).join();
					assertThat(subscription.state().lowWaterMark()).isEqualTo(first - 1);
					CompletableFuture.runAsync(() -> handler.acknowledge(events.get(0))).join();
					assertThat(subscription.state().lowWaterMark()).isEqualTo(events.get(2).id());
					handler.acknowledge(events.get(3));
					assertThat(subscription.state().lowWaterMark()).isEqualTo(events.get(3).id());
				});
		}
	}

	@Test
	void aRestartDeliversAgainWhatWasNotAcknowledged(@TempDir Path folder) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			String[] properties = { "arvados.events.transport=websocket",
					"arvados.events.checkpoint.file=" + folder.resolve("position") };
			List<LogEntry> events = new ArrayList<>();
			runner(cluster, properties).withConfiguration(FILE_STORE)
				.withUserConfiguration(Deferring.class)
				.run((context) -> {
					awaitSubscribed(context);
					Deferring handler = context.getBean(Deferring.class);
					for (int i = 0; i < 4; i++) {
						events.add(emit(cluster));
					}
					await().atMost(WAIT).until(() -> handler.seen.size() == 4);
					handler.acknowledge(events.get(0), events.get(2));
				});
			runner(cluster, properties).withConfiguration(FILE_STORE)
				.withUserConfiguration(Deferring.class)
				.run((context) -> {
					awaitSubscribed(context);
					Deferring handler = context.getBean(Deferring.class);
					LogEntry next = emit(cluster);
					await().atMost(WAIT).until(() -> handler.seen.contains(next.id()));
					assertThat(handler.seen).containsExactly(events.get(1).id(), events.get(3).id(), next.id());
				});
		}
	}

	/** Takes each event and keeps its acknowledgment until told. */
	static class Deferring {

		final List<Long> seen = new CopyOnWriteArrayList<>();

		private final Map<Long, Acknowledgment> waiting = new ConcurrentHashMap<>();

		@EventHandler
		void on(ArvadosEvent event, Acknowledgment acknowledgment) {
			this.waiting.put(event.id(), acknowledgment);
			this.seen.add(event.id());
		}

		void acknowledge(LogEntry... entries) {
			for (LogEntry entry : entries) {
				this.waiting.remove(entry.id()).acknowledge();
			}
		}

	}

}
