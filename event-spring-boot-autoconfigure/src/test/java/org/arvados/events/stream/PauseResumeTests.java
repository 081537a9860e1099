package org.arvados.events.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamPhaseChangedEvent;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pause()} stops reading without stopping: nothing arrives, health stays UP and says PAUSED; {@code resume()}
 * goes on from the position, so what was committed meanwhile is handled once, in order.
 */
class PauseResumeTests {

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "polling" })
	void whatIsCommittedWhilePausedIsHandledOnceAfterTheResume(String transport) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=" + transport, "arvados.events.polling.interval=50ms")
				.run((context) -> {
					List<StreamPhase> phases = new java.util.concurrent.CopyOnWriteArrayList<>();
					((ConfigurableApplicationContext) context.getSourceApplicationContext())
						.addApplicationListener((ApplicationListener<StreamPhaseChangedEvent>) (event) -> phases
							.add(event.getTo()));
					Recorder recorder = awaitSubscribed(context);
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					List<LogEntry> all = new ArrayList<>();
					for (int i = 0; i < 3; i++) {
						all.add(emit(cluster));
					}
					await().atMost(WAIT).until(() -> recorder.ids().size() == all.size());

					subscription.pause();
					assertThat(subscription.isPaused()).isTrue();
					assertThat(subscription.isRunning()).isTrue();
					assertThat(subscription.state().phase()).isEqualTo(StreamPhase.PAUSED);
					Health health = new ArvadosEventsHealthIndicator(subscription, "cluster", Duration.ofMillis(1))
						.health(true);
					assertThat(health.getStatus()).isEqualTo(Status.UP);
					assertThat(health.getDetails()).containsEntry("phase", "paused");
					await().atMost(WAIT).until(() -> cluster.openConnections() == 0);
					int listRequests = cluster.listRequests().size();
					for (int i = 0; i < 4; i++) {
						all.add(emit(cluster));
					}
					// Paused: neither delivered nor asked for.
					await().during(Duration.ofMillis(500)).atMost(WAIT)
						.until(() -> recorder.ids().size() == 3 && cluster.listRequests().size() == listRequests);

					subscription.resume();
					assertThat(subscription.isPaused()).isFalse();
					await().atMost(WAIT).until(() -> recorder.ids().size() >= all.size());
					all.add(emit(cluster));
					await().atMost(WAIT).until(() -> recorder.ids().size() >= all.size());
					assertThat(recorder.ids()).isEqualTo(ids(all));
					assertThat(phases).contains(StreamPhase.PAUSED);
					assertThat(phases.subList(phases.indexOf(StreamPhase.PAUSED), phases.size()))
						.contains(transport.equals("polling") ? StreamPhase.POLLING : StreamPhase.LIVE);
				});
		}
	}

}
