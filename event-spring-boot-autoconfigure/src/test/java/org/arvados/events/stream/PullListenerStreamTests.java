package org.arvados.events.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.pull.OverflowPolicy;
import org.arvados.events.pull.PullListener;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * Pull listeners opened and closed while the stream runs: each gets what it selects, in order, and one that is
 * never read stalls neither the handlers nor the other listeners.
 */
@ExtendWith(OutputCaptureExtension.class)
class PullListenerStreamTests {

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void listenersGetWhatTheySelectAndASlowOneDropsInsteadOfStallingTheStream(String transport, CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=" + transport, "arvados.events.polling.interval=50ms")
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					ArvadosEventListeners listeners = context.getBean(ArvadosEventListeners.class);
					assertThat(context.getBean(ArvadosEventSubscription.class).listeners()).isSameAs(listeners);
					try (PullListener updates = listeners.select().eventTypes("update").objectUuids("zzzzz-4zz18-*").open();
							PullListener stuck = listeners.select().name("stuck").capacity(2)
								.whenFull(OverflowPolicy.DROP_NEWEST).open()) {
						List<LogEntry> wanted = new ArrayList<>();
						List<LogEntry> all = new ArrayList<>();
						for (int i = 0; i < 15; i++) {
							LogEntry update = emit(cluster);
							wanted.add(update);
							all.add(update);
							all.add(cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of()));
							all.add(cluster.emit("update", FakeArvadosCluster.uuid("xvhdp"), Map.of()));
						}
						await().atMost(WAIT).until(() -> recorder.ids().size() >= all.size());
						assertThat(recorder.ids()).isEqualTo(ids(all));
						List<Long> pulled = new ArrayList<>();
						for (int i = 0; i < wanted.size(); i++) {
							ArvadosEvent next = updates.poll(WAIT);
							assertThat(next).isNotNull();
							pulled.add(next.id());
						}
						assertThat(pulled).isEqualTo(ids(wanted));
						assertThat(updates.poll(Duration.ofMillis(100))).isNull();
						assertThat(stuck.dropped()).isEqualTo(all.size() - 2);
						assertThat(stuck.take().id()).isEqualTo(all.get(0).id());
						assertThat(output.getAll()).contains("The pull listener 'stuck' is full (2 events)");
					}
					assertThat(listeners.openListeners()).isEmpty();
					// Opened later, it takes what comes from then on.
					try (PullListener late = listeners.select().open()) {
						LogEntry next = emit(cluster);
						assertThat(late.poll(WAIT)).extracting(ArvadosEvent::id).isEqualTo(next.id());
					}
				});
		}
	}

}
