package org.arvados.events.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.autoconfigure.health.ArvadosEventsHealthContributorAutoConfiguration;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A wrong, expired or revoked token is loud and recovers quickly. The fake WebSocket, like arvados-ws, accepts any
 * token, confirms the subscription and then drops every event the token may not read: only the API can tell.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenTests {

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void aWrongTokenIsAnErrorOnceDownAtOnceAndNeverStreams(CapturedOutput output) {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().token("another-token-entirely").start()) {
			Disconnections disconnections = new Disconnections();
			runner(cluster).withPropertyValues("arvados.events.token=" + StreamTestSupport.TOKEN)
				.withConfiguration(AutoConfigurations.of(ArvadosEventsHealthContributorAutoConfiguration.class))
				.withBean(Disconnections.class, () -> disconnections)
				.run((context) -> {
					await().atMost(WAIT).until(() -> cluster.currentUserRequests() >= 3);
					Health health = health(context);
					assertThat(health.getStatus()).isEqualTo(Status.DOWN);
					assertThat(health.getDetails()).containsEntry("connected", false)
						.containsEntry("reason", "TOKEN_REJECTED")
						.hasEntrySatisfying("lastError",
								(error) -> assertThat((String) error).contains("rejected the API token (HTTP 401)"));
					assertThat(errorLines(output)).singleElement()
						.satisfies((line) -> assertThat(line).contains("rejected the API token (HTTP 401)"));
					assertThat(output).doesNotContain("Streaming from");
					assertThat(cluster.connectionsAccepted()).as("the token went nowhere else").isZero();
					assertThat(disconnections.reasons).containsExactly(DisconnectReason.TOKEN_REJECTED);
				});
		}
	}

	@Test
	void aTokenRestoredWhilePollingIsTakenWithinTheBackOffAndNothingIsLost() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=polling", "arvados.events.polling.interval=100ms")
				.withConfiguration(AutoConfigurations.of(ArvadosEventsHealthContributorAutoConfiguration.class))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					cluster.revokeToken();
					await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
					LogEntry missed = emit(cluster);
					cluster.restoreToken();
					// The back-off tops out at 500 ms here; the old fixed minute would time out.
					await().atMost(java.time.Duration.ofSeconds(5)).until(() -> recorder.ids().contains(missed.id()));
					assertThat(health(context).getStatus()).isEqualTo(Status.UP);
				});
		}
	}

	@Test
	void aTokenRevokedOnTheWebSocketIsFoundThroughTheListAndItsEventsArriveOnceRestored() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.polling.interval=100ms")
				.withConfiguration(AutoConfigurations.of(ArvadosEventsHealthContributorAutoConfiguration.class))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry before = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(before.id()));
					cluster.revokeToken();
					List<Long> dropped = StreamTestSupport.ids(List.of(emit(cluster), emit(cluster)));
					cluster.restoreToken();
					LogEntry after = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().containsAll(dropped) && recorder.ids().contains(after.id()));
					assertThat(recorder.ids()).doesNotHaveDuplicates();
					assertThat(context.getBean(ArvadosEventSubscription.class).state().connected()).isTrue();
				});
		}
	}

	@Test
	void aTokenRevokedWhileTheWebSocketStaysUpAndQuietIsSaidWithinTheCheckInterval(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.transport=websocket", "arvados.events.websocket.token-check-interval=200ms")
				.withConfiguration(AutoConfigurations.of(ArvadosEventsHealthContributorAutoConfiguration.class))
				.run((context) -> {
					awaitSubscribed(context);
					// No event, so no gap: only the check of the token can tell.
					cluster.revokeToken();
					await().atMost(WAIT).until(() -> health(context).getStatus().equals(Status.DOWN));
					assertThat(context.getBean(ArvadosEventSubscription.class).state().reason())
						.isEqualTo(DisconnectReason.TOKEN_REJECTED);
					assertThat(errorLines(output)).anySatisfy((line) -> assertThat(line).contains("rejected the API token"));
				});
		}
	}

	private static List<String> errorLines(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains(" ERROR ")).toList();
	}

	private static Health health(AssertableApplicationContext context) {
		return context.getBean(ArvadosEventsHealthIndicator.class).health(true);
	}

	/** Records the reasons of the disconnections. */
	static class Disconnections {

		final List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();

		@EventListener
		void disconnected(StreamDisconnectedEvent event) {
			this.reasons.add(event.getReason());
		}

	}

}
