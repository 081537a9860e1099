package org.arvados.events.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.autoconfigure.checkpoint.ArvadosEventsCheckpointAutoConfiguration;
import org.arvados.events.lifecycle.CaughtUpEvent;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code start-from} a time: the history through the logs list ({@code created_at >=}), then live, with nothing
 * lost or repeated at the seam, and a {@link CaughtUpEvent} behind the last event of the history.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartFromTimeTests {

	private static final AutoConfigurations FILE_STORE = AutoConfigurations
		.of(ArvadosEventsCheckpointAutoConfiguration.class);

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@ParameterizedTest(name = "{0}, {1}")
	@CsvSource({ "websocket, instant", "websocket, duration", "polling, instant", "polling, duration" })
	void theHistoryComesThenLiveWithoutGapOrDuplicateAndTheSentinelFollowsTheHistory(String transport, String form) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			Instant now = Instant.now();
			List<LogEntry> older = new ArrayList<>();
			List<LogEntry> history = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				older.add(cluster.emitAt(now.minus(Duration.ofHours(3)), "update", FakeArvadosCluster.uuid("4zz18"), Map.of()));
			}
			for (int i = 0; i < 7; i++) {
				history.add(cluster.emitAt(now.minus(Duration.ofMinutes(30)), "update", FakeArvadosCluster.uuid("4zz18"),
						Map.of()));
			}
			String since = DateTimeFormatter.ISO_INSTANT.format(now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
			// A slow list: live events come while the history is read, and must wait for it.
			cluster.delayListRequests(Duration.ofMillis(100));
			runner(cluster, "arvados.events.transport=" + transport,
					"arvados.events.start-from=" + (form.equals("instant") ? since : "1h"),
					"arvados.events.polling.limit=2", "arvados.events.polling.interval=50ms")
				.withUserConfiguration(Sentinels.class)
				.run((context) -> {
					Recorder recorder = context.getBean(Recorder.class);
					Sentinels sentinels = context.getBean(Sentinels.class);
					List<LogEntry> live = new ArrayList<>();
					await().atMost(WAIT).until(() -> !cluster.listRequests().isEmpty());
					for (int i = 0; i < 3; i++) {
						live.add(emit(cluster));
					}
					await().atMost(WAIT).until(() -> recorder.ids().size() >= history.size() + live.size());
					List<Long> expected = new ArrayList<>(ids(history));
					expected.addAll(ids(live));
					assertThat(recorder.ids()).isEqualTo(expected);
					assertThat(cluster.listRequests().get(0)).containsEntry("order", "id asc")
						.containsEntry("limit", "1")
						.hasEntrySatisfying("filters", (filters) -> assertThat(filters)
							.startsWith("[[\"created_at\",\">=\",\"" + (form.equals("instant") ? since : "")));
					await().atMost(WAIT).until(() -> sentinels.seen.size() == 1);
					Seen sentinel = sentinels.seen.get(0);
					assertThat(sentinel.event().isInitial()).isTrue();
					assertThat(sentinel.event().getAfterId()).isEqualTo(history.get(0).id() - 1);
					assertThat(sentinel.event().getThroughId()).isGreaterThanOrEqualTo(history.get(6).id());
					// Behind every event it counts: their handlers have returned when it arrives.
					assertThat(sentinel.handledBefore()).hasSize((int) sentinel.event().getEvents())
						.startsWith(ids(history).toArray(Long[]::new));
					LogEntry later = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(later.id()));
					assertThat(sentinels.seen).as("a quick catch-up is not announced again").hasSize(1);
					assertThat(recorder.ids()).doesNotContainAnyElementsOf(ids(older)).doesNotHaveDuplicates();
				});
		}
	}

	@Test
	void aSavedPositionWinsOverTheTimeSoARestartDoesNotReadTheHistoryAgain(@TempDir Path folder) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			LogEntry history = cluster.emitAt(Instant.now().minus(Duration.ofMinutes(30)), "update",
					FakeArvadosCluster.uuid("4zz18"), Map.of());
			String[] properties = { "arvados.events.transport=polling", "arvados.events.polling.interval=50ms",
					"arvados.events.start-from=1h", "arvados.events.checkpoint.file=" + folder.resolve("position") };
			runner(cluster, properties).withConfiguration(FILE_STORE).run((context) -> {
				Recorder recorder = context.getBean(Recorder.class);
				await().atMost(WAIT).until(() -> recorder.ids().contains(history.id()));
			});
			LogEntry meanwhile = emit(cluster);
			runner(cluster, properties).withConfiguration(FILE_STORE).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				await().atMost(WAIT).until(() -> recorder.ids().contains(meanwhile.id()));
				assertThat(recorder.ids()).containsExactly(meanwhile.id());
				assertThat(context.getBean(ArvadosEventSubscription.class).state().lowWaterMark())
					.isGreaterThanOrEqualTo(meanwhile.id());
			});
		}
	}

	@Test
	void aCatchUpLongerThanTheThresholdIsAnnouncedAndAQuickOneIsNot() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.caught-up-threshold=1s")
				.withUserConfiguration(Sentinels.class)
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					Sentinels sentinels = context.getBean(Sentinels.class);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					await().atMost(WAIT).until(() -> sentinels.seen.size() == 1);
					assertThat(sentinels.seen.get(0).event().isInitial()).isTrue();
					// A quick reconnect: its catch-up is not announced. (The margin is wide: two cores, shared.)
					cluster.dropConnections();
					LogEntry quick = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(quick.id()));
					await().atMost(WAIT).until(() -> subscription.state().connected());
					// A slow one is, once done, with what it brought.
					cluster.delayListRequests(Duration.ofMillis(1200));
					cluster.dropConnections();
					LogEntry missed = emit(cluster);
					await().atMost(WAIT).until(() -> sentinels.seen.size() == 2);
					CaughtUpEvent slow = sentinels.seen.get(1).event();
					assertThat(slow.isInitial()).isFalse();
					assertThat(slow.getDuration()).isGreaterThan(Duration.ofSeconds(1));
					assertThat(slow.getThroughId()).isGreaterThanOrEqualTo(missed.id());
					assertThat(recorder.ids()).contains(missed.id()).doesNotHaveDuplicates();
				});
		}
	}

	/** What a listener of the sentinel saw, and what the handlers had been given by then. */
	record Seen(CaughtUpEvent event, List<Long> handledBefore) {
	}

	/** Records each {@link CaughtUpEvent} with the ids handled when it arrived. */
	static class Sentinels {

		final List<Seen> seen = new CopyOnWriteArrayList<>();

		private final Recorder recorder;

		Sentinels(Recorder recorder) {
			this.recorder = recorder;
		}

		@EventListener
		void caughtUp(CaughtUpEvent event) {
			this.seen.add(new Seen(event, List.copyOf(this.recorder.ids())));
		}

	}

}
