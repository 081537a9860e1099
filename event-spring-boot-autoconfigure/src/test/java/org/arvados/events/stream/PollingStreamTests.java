package org.arvados.events.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code transport=polling} against the fake cluster's logs list: paging, waiting, late commits, where "latest"
 * starts, failures of the list and a revoked token.
 */
@ExtendWith(OutputCaptureExtension.class)
class PollingStreamTests {

	private static final String POLLING = "arvados.events.transport=polling";

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void fullPagesAreFollowedAtOnceAndAShortPageWaitsForThePollInterval() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			List<Long> wanted = new ArrayList<>();
			for (int i = 0; i < 35; i++) {
				wanted.add(cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of()).id());
				cluster.emit("create", FakeArvadosCluster.uuid("xvhdp"), Map.of());
			}
			runner(cluster, POLLING, "arvados.events.polling.limit=10", "arvados.events.polling.interval=1h",
					"arvados.events.start-from=1", "arvados.events.filters[0].attribute=event_type",
					"arvados.events.filters[0].operator=in", "arvados.events.filters[0].operand=update",
					"arvados.events.filters[1].attribute=object_uuid", "arvados.events.filters[1].operator=is_a",
					"arvados.events.filters[1].operand=arvados#collection")
				.run((context) -> {
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.ids().size() >= wanted.size());
					assertThat(recorder.ids()).isEqualTo(wanted);
					List<Map<String, String>> requests = cluster.listRequests();
					assertThat(requests).hasSize(4);
					List<Long> after = List.of(0L, wanted.get(9), wanted.get(19), wanted.get(29));
					for (int page = 0; page < 4; page++) {
						assertThat(requests.get(page)).containsEntry("order", "id asc")
							.containsEntry("limit", "10")
							.containsEntry("count", "none")
							.containsEntry("filters", "[[\"event_type\",\"in\",[\"update\"]],"
									+ "[\"object_uuid\",\"is_a\",\"arvados#collection\"],[\"id\",\">\"," + after.get(page) + "]]");
					}
					// The last page was short: the next poll waits for polling.interval.
					emit(cluster);
					await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> cluster.listRequests().size() == 4);
				});
		}
	}

	@Test
	void aLateCommitBelowHandledIdsIsDeliveredOnce() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, POLLING, "arvados.events.polling.interval=50ms").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				Transaction late = cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
				List<LogEntry> later = new ArrayList<>();
				for (int i = 0; i < 50; i++) {
					later.add(emit(cluster));
				}
				await().atMost(WAIT).until(() -> recorder.ids().containsAll(ids(later)));
				LogEntry committed = late.commit();
				await().atMost(WAIT).until(() -> recorder.ids().contains(committed.id()));
				await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> recorder.ids().size() == 51);
				assertThat(recorder.ids()).doesNotHaveDuplicates().endsWith(committed.id());
				assertThat(committed.id()).isLessThan(later.get(0).id());
			});
		}
	}

	@Test
	void aGapHeldOpenByFilteredIdsIsAskedForAloneNotReadAgainWithEverythingAfterIt() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, POLLING, "arvados.events.polling.interval=50ms", "arvados.events.filters[0].attribute=event_type",
					"arvados.events.filters[0].operator=in", "arvados.events.filters[0].operand=update")
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry first = emit(cluster);
					LogEntry filtered = cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of());
					LogEntry last = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().size() == 2);
					int asked = cluster.listRequests().size();
					await().atMost(WAIT).until(() -> cluster.listRequests().size() >= asked + 6);
					List<String> later = cluster.listRequests()
						.subList(asked, asked + 6)
						.stream()
						.map((request) -> request.get("filters"))
						.toList();
					String gap = "[\"id\",\"<=\"," + filtered.id() + "],[\"id\",\">\"," + (filtered.id() - 1) + "]";
					String after = "[\"id\",\">\"," + last.id() + "]";
					assertThat(later).allMatch((filters) -> filters.contains(gap) || filters.endsWith(after + "]"));
					// Never from the low-water mark without an upper bound: that would read 'last' again, and all after it.
					assertThat(later).noneMatch((filters) -> filters.endsWith("[\"id\",\">\"," + first.id() + "]]")
							&& !filters.contains("\"<=\""));
					assertThat(recorder.ids()).containsExactly(first.id(), last.id());
				});
		}
	}

	@Test
	void latestStartsAfterTheNewestMatchingEventAndDeliversNothingOlder() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			List<LogEntry> old = List.of(emit(cluster), emit(cluster), emit(cluster));
			runner(cluster, POLLING, "arvados.events.polling.interval=50ms").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				List<LogEntry> fresh = List.of(emit(cluster), emit(cluster));
				await().atMost(WAIT).until(() -> recorder.ids().size() >= 2);
				assertThat(recorder.ids()).isEqualTo(ids(fresh)).doesNotContainAnyElementsOf(ids(old));
				assertThat(cluster.listRequests().get(0)).containsEntry("order", "id desc")
					.containsEntry("limit", "1")
					.hasEntrySatisfying("filters", (filters) -> assertThat(filters).startsWith("[[\"created_at\",\">=\","));
			});
		}
	}

	@Test
	void latestWithAQuietFilterStartsAfterTheNewestEventOfAnyKindSoACheckpointKeepsARealPosition() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			List<LogEntry> others = List.of(emit(cluster), emit(cluster));
			runner(cluster, POLLING, "arvados.events.polling.interval=50ms",
					"arvados.events.filters[0].attribute=event_type", "arvados.events.filters[0].operator=in",
					"arvados.events.filters[0].operand=create")
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					assertThat(subscription.state().lowWaterMark()).as("not 0: a restart must not read the whole log")
						.isEqualTo(others.get(1).id());
					assertThat(cluster.listRequests().get(1)).containsEntry("order", "id desc")
						.containsEntry("limit", "1")
						.hasEntrySatisfying("filters", (filters) -> assertThat(filters).doesNotContain("event_type"));
					LogEntry created = cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), java.util.Map.of());
					await().atMost(WAIT).until(() -> recorder.ids().contains(created.id()));
					assertThat(recorder.ids()).containsExactly(created.id());
				});
		}
	}

	@Test
	void aFilterTooLongForAUrlIsSentAsAFormTheServerReadsAsAGet() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			List<String> uuids = IntStream.range(0, 300).mapToObj((i) -> FakeArvadosCluster.uuid("4zz18")).toList();
			LogEntry wanted = cluster.emit("update", uuids.get(150), Map.of());
			emit(cluster);
			runner(cluster, POLLING, "arvados.events.start-from=1", "arvados.events.filters[0].attribute=object_uuid",
					"arvados.events.filters[0].operator=in", "arvados.events.filters[0].operand=" + String.join(",", uuids))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					// Connected is not handled: the catch-up's events may still wait for the handlers.
					await().atMost(WAIT).until(() -> recorder.ids().contains(wanted.id()));
					assertThat(recorder.ids()).containsExactly(wanted.id());
					assertThat(cluster.listRequests().get(0)).containsEntry("_method", "GET")
						.hasEntrySatisfying("filters", (filters) -> assertThat(filters).contains(uuids.get(299)));
				});
		}
	}

	@Test
	void serverErrorsOfTheListAreRetriedAndLoseNothing(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, POLLING, "arvados.events.polling.interval=50ms").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				cluster.failListRequests(4, 500);
				List<LogEntry> emitted = LongStream.range(0, 20).mapToObj((i) -> emit(cluster)).toList();
				await().atMost(WAIT).until(() -> recorder.ids().size() >= emitted.size());
				assertThat(recorder.ids()).isEqualTo(ids(emitted));
				assertThat(output).contains("Cannot read the logs list of " + cluster.endpoint())
					.contains("500 Internal Server Error");
			});
		}
	}

	@Test
	void aRevokedTokenIsAnErrorOnceAndIsCheckedOnTheBackOffWithoutPolling(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, POLLING, "arvados.events.polling.interval=20ms").run((context) -> {
				awaitSubscribed(context);
				cluster.revokeToken();
				await().atMost(WAIT).until(() -> output.getAll().contains("rejected the API token (HTTP 401)"));
				int polled = cluster.listRequests().size();
				int checked = cluster.currentUserRequests();
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				assertThat(subscription.state().connected()).isFalse();
				assertThat(subscription.state().mode()).isEqualTo(TransportMode.POLLING);
				// The token is asked about on the back-off (50 ms to 500 ms here); the list not at all meanwhile.
				await().atMost(WAIT).until(() -> cluster.currentUserRequests() >= checked + 3);
				assertThat(cluster.listRequests()).hasSize(polled);
				assertThat(output.getAll().lines().filter((line) -> line.contains(" ERROR ")))
					.singleElement()
					.satisfies((line) -> assertThat(line).contains("The cluster at " + cluster.endpoint()
							+ " rejected the API token (HTTP 401); check arvados.events.token or ARVADOS_API_TOKEN"));
			});
		}
	}

}
