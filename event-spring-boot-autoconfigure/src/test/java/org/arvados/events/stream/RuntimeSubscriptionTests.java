package org.arvados.events.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.arvados.events.filter.EventFilter;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@code subscribe(filters)} and {@code unsubscribe(filters)} while the stream runs, on both transports: the
 * handlers get what any set passes, the WebSocket server is told, and a set added with an id gets its history
 * from the logs list, without repeating what the other sets delivered.
 */
@ExtendWith(OutputCaptureExtension.class)
class RuntimeSubscriptionTests {

	private static final List<EventFilter> CREATES = List.of(new EventFilter("event_type", "in", List.of("create")));

	private static final List<EventFilter> UPDATES = List.of(new EventFilter("event_type", "in", List.of("update")));

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	private static ApplicationContextRunner createsOnly(FakeArvadosCluster cluster, String transport,
			String... more) {
		return runner(cluster, "arvados.events.transport=" + transport, "arvados.events.polling.interval=50ms",
				"arvados.events.filters[0].attribute=event_type", "arvados.events.filters[0].operator=in",
				"arvados.events.filters[0].operand=create")
			.withPropertyValues(more);
	}

	private static LogEntry create(FakeArvadosCluster cluster) {
		return cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of());
	}

	private static LogEntry update(FakeArvadosCluster cluster) {
		return cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
	}

	private static void awaitExactly(Recorder recorder, List<LogEntry> expected) {
		await().atMost(WAIT).until(() -> recorder.ids().size() >= expected.size());
		// Nothing more comes, and nothing twice.
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(recorder.ids()).containsExactlyInAnyOrderElementsOf(ids(expected)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void aSetSubscribedAtRunTimeAddsItsEventsAndOneUnsubscribedFromStops(String transport) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			createsOnly(cluster, transport).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				List<LogEntry> expected = new ArrayList<>();
				expected.add(create(cluster));
				update(cluster);
				expected.add(create(cluster));
				awaitExactly(recorder, expected);

				assertThat(subscription.subscribe(UPDATES)).isTrue();
				assertThat(subscription.subscribe(UPDATES)).as("a set is followed once").isFalse();
				assertThat(subscription.filterSets()).containsExactly(CREATES, UPDATES);
				expected.add(update(cluster));
				expected.add(create(cluster));
				awaitExactly(recorder, expected);

				subscription.unsubscribe(CREATES);
				assertThat(subscription.filterSets()).containsExactly(UPDATES);
				create(cluster);
				expected.add(update(cluster));
				awaitExactly(recorder, expected);
				if (transport.equals("websocket")) {
					assertThat(cluster.clientMessages()).anyMatch((message) -> message
						.startsWith("{\"method\":\"subscribe\",\"filters\":[[\"event_type\",\"in\",[\"update\"]]]"));
					await().atMost(WAIT).until(() -> cluster.clientMessages()
						.contains("{\"method\":\"unsubscribe\",\"filters\":[[\"event_type\",\"in\",[\"create\"]]]}"));
				}
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void theHistoryOfANewSetIsHandledOnceBesideWhatTheOtherSetDelivered(String transport) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			createsOnly(cluster, transport, "arvados.events.polling.limit=2").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				LogEntry from = update(cluster);
				List<LogEntry> expected = new ArrayList<>();
				List<LogEntry> history = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					expected.add(create(cluster));
					history.add(update(cluster));
				}
				awaitExactly(recorder, expected);

				assertThat(subscription.subscribe(UPDATES, from.id())).isTrue();
				expected.addAll(history);
				expected.add(update(cluster));
				expected.add(create(cluster));
				awaitExactly(recorder, expected);
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void aHistoryTheListFailsToGiveIsReadAgainAndHandledOnce(String transport, CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			createsOnly(cluster, transport, "arvados.events.polling.limit=2").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				LogEntry from = create(cluster);
				List<LogEntry> expected = new ArrayList<>(List.of(from));
				List<LogEntry> history = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					history.add(update(cluster));
				}
				// Above the history: the stream has judged it, so it comes from the list.
				expected.add(create(cluster));
				awaitExactly(recorder, expected);

				// The next list requests fail, as an API server that is restarting answers: over the WebSocket those
				// are the history's (nothing else asks the list while live without gaps), while polling the polls'.
				cluster.failListRequests(3, 503);
				assertThat(subscription.subscribe(UPDATES, from.id())).isTrue();
				expected.addAll(history);
				expected.add(update(cluster));
				awaitExactly(recorder, expected);
				if (transport.equals("websocket")) {
					assertThat(output).contains("Cannot read the history of a new filter set");
				}
				assertThat(subscription.state().phase().name()).isIn("LIVE", "POLLING");
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void aSetWithHistoryAskedForBeforeTheStreamKnowsWhereItIsWaitsForIt(String transport) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			List<LogEntry> history = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				create(cluster);
				history.add(update(cluster));
			}
			// The newest id comes from the list: slowly, so that the stream has no position at the subscribe.
			cluster.delayListRequests(Duration.ofMillis(300));
			createsOnly(cluster, transport).run((context) -> {
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				assertThat(subscription.state().highestId()).isZero();
				assertThat(subscription.subscribe(UPDATES, 0)).isTrue();
				assertThat(subscription.filterSets()).containsExactly(CREATES, UPDATES);
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> expected = new ArrayList<>(history);
				expected.add(create(cluster));
				expected.add(update(cluster));
				awaitExactly(recorder, expected);
			});
		}
	}

	@Test
	void afterAReconnectTheServerIsSentEverySet() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			createsOnly(cluster, "websocket").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				subscription.subscribe(UPDATES);
				await().atMost(WAIT).until(() -> cluster.clientMessages().size() == 2);
				cluster.dropConnections();
				await().atMost(WAIT).until(() -> cluster.connectionsAccepted() == 2 && subscription.state().connected());
				List<String> again = cluster.clientMessages().subList(2, cluster.clientMessages().size());
				assertThat(again).hasSize(2);
				assertThat(again.get(0)).startsWith("{\"method\":\"subscribe\",\"filters\":[[\"event_type\",\"in\",[\"create\"]]]");
				assertThat(again.get(1)).startsWith("{\"method\":\"subscribe\",\"filters\":[[\"event_type\",\"in\",[\"update\"]]]");
				List<LogEntry> expected = List.of(create(cluster), update(cluster));
				awaitExactly(recorder, expected);
			});
		}
	}

	// The newcomer's sequence: subscribe(updates), unsubscribe(updates), subscribe(updates, 0) handled C twice.
	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void aHistoryDoesNotDeliverAgainWhatASetRemovedSinceDelivered(String transport) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			createsOnly(cluster, transport).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				LogEntry missed = update(cluster);
				LogEntry created = create(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(created.id()));
				subscription.subscribe(UPDATES);
				LogEntry delivered = update(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(delivered.id()));
				subscription.unsubscribe(UPDATES);
				subscription.subscribe(UPDATES, 0);
				awaitExactly(recorder, List.of(created, delivered, missed));
			});
		}
	}

	@Test
	void wrongChangesAreRefusedWithAClearError() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			createsOnly(cluster, "websocket").run((context) -> {
				awaitSubscribed(context);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				assertThatIllegalArgumentException().isThrownBy(() -> subscription.unsubscribe(UPDATES))
					.withMessageContaining("Not subscribed to the filters [event_type in [update]]");
				assertThatIllegalStateException().isThrownBy(() -> subscription.unsubscribe(CREATES))
					.withMessageContaining("only filter set");
				List<EventFilter> huge = List.of(new EventFilter("object_uuid", "in",
						Collections.nCopies(200, FakeArvadosCluster.uuid("4zz18"))));
				assertThatIllegalArgumentException().isThrownBy(() -> subscription.subscribe(huge))
					.withMessageContaining("4 KiB");
				assertThatIllegalArgumentException().isThrownBy(() -> subscription.subscribe(UPDATES, -1));
				assertThat(subscription.filterSets()).containsExactly(CREATES);
			});
		}
	}

}
