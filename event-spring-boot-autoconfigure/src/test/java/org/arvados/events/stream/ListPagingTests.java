package org.arvados.events.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Paging through the logs list when the server caps {@code limit} below what was asked ({@code API.MaxItemsPerResponse}
 * lower than {@code polling.limit}): a page as long as the envelope's {@code limit} is full, not the end of the log. And
 * a list item Jackson refuses costs that item, not the page.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListPagingTests {

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void aPageCutByTheServersCapIsFollowedAtOnce() {
		try (FakeArvadosCluster cluster = cluster().maxItemsPerResponse(5).start()) {
			List<Long> wanted = new ArrayList<>();
			for (int i = 0; i < 23; i++) {
				wanted.add(emit(cluster).id());
			}
			runner(cluster, "arvados.events.transport=polling", "arvados.events.polling.limit=10",
					"arvados.events.polling.interval=1h", "arvados.events.start-from=1")
				.run((context) -> {
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.ids().size() >= wanted.size());
					assertThat(recorder.ids()).isEqualTo(wanted);
					// Five pages of five, the last short, in one poll: then nothing until polling.interval.
					await().atMost(WAIT).until(() -> cluster.listRequests().size() >= 5);
					await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> cluster.listRequests().size() == 5);
					assertThat(cluster.listRequests()).allSatisfy((request) -> assertThat(request).containsEntry("limit", "10"));
				});
		}
	}

	@Test
	void anItemTheDecoderRefusesDoesNotBlockPolling() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			long before = emit(cluster).id();
			// Whole properties travel in list items: a user's metadata key over Jackson's 50,000-character name limit.
			cluster.emit("update", FakeArvadosCluster.uuid("4zz18"),
					Map.of("new_attributes", Map.of("properties", Map.of("k".repeat(60_000), "v"))));
			long after = emit(cluster).id();
			runner(cluster, "arvados.events.transport=polling", "arvados.events.polling.interval=100ms",
					"arvados.events.start-from=1")
				.run((context) -> {
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.ids().contains(after));
					assertThat(recorder.ids()).containsExactly(before, after);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					assertThat(subscription.state().counts().malformed()).isEqualTo(1);
					long later = emit(cluster).id();
					await().atMost(WAIT).until(() -> recorder.ids().contains(later));
				});
		}
	}

	@Test
	void aCatchUpAfterTheWebSocketReconnectsReadsPastTheCap() {
		try (FakeArvadosCluster cluster = cluster().maxItemsPerResponse(4).replayWindow(Duration.ZERO).start()) {
			List<Long> wanted = new ArrayList<>();
			for (int i = 0; i < 13; i++) {
				wanted.add(emit(cluster).id());
			}
			// The replay window is empty, so only the catch-up through the list can bring these: one that stopped
			// after the first page cut by the cap would leave the rest unasked for until another event came.
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.polling.limit=10",
					"arvados.events.polling.interval=1h", "arvados.events.start-from=1")
				.run((context) -> {
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.ids().size() >= wanted.size());
					assertThat(recorder.ids()).isEqualTo(wanted);
				});
		}
	}

}
