package org.arvados.events.stream;

import java.util.List;

import org.arvados.events.autoconfigure.health.ArvadosEventsHealthContributorAutoConfiguration;
import org.arvados.events.autoconfigure.leadership.ArvadosEventsLeaderElectionAutoConfiguration;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.InMemoryEventCheckpointStore;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.leadership.LeaderElectionListener;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.ids;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code arvados.events.leader-election}: only the instance that holds the lead follows the stream; the others
 * stand by, and one takes over from the saved position when the leader goes. In one JVM, on Spring Integration's
 * in-memory lock registry; {@code LeaderFailoverTests} does it across processes on PostgreSQL.
 */
class LeaderElectionTests {

	private static final String ENABLED = "arvados.events.leader-election.enabled=true";

	private static ApplicationContextRunner electing(FakeArvadosCluster cluster, String... properties) {
		return runner(cluster, ENABLED)
			.withConfiguration(AutoConfigurations.of(ArvadosEventsLeaderElectionAutoConfiguration.class,
					ArvadosEventsHealthContributorAutoConfiguration.class))
			.withPropertyValues(properties);
	}

	@Test
	void theInstanceThatGetsTheLockFollowsTheStream() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster).withBean(LockRegistry.class, DefaultLockRegistry::new).run((context) -> {
				assertThat(context).hasSingleBean(LockRegistryLeaderInitiator.class);
				Recorder recorder = awaitSubscribed(context);
				assertThat(context.getBean(ArvadosEventSubscription.class).state().role()).isEqualTo(StreamRole.LEADER);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
			});
		}
	}

	@Test
	void whenTheLeaderStopsTheStandbyTakesOverFromTheSavedPositionAndNothingIsHandledTwice() {
		DefaultLockRegistry locks = new DefaultLockRegistry();
		EventCheckpointStore shared = new SharedStore();
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster, "arvados.events.checkpoint.interval=50ms")
				.withBean(LockRegistry.class, () -> locks)
				.withBean(EventCheckpointStore.class, () -> shared)
				.run((first) -> {
					Recorder leader = awaitSubscribed(first);
					electing(cluster, "arvados.events.checkpoint.interval=50ms")
						.withBean(LockRegistry.class, () -> locks)
						.withBean(EventCheckpointStore.class, () -> shared)
						.run((second) -> {
							ArvadosEventSubscription standby = second.getBean(ArvadosEventSubscription.class);
							assertThat(standby.state().role()).isEqualTo(StreamRole.STANDBY);
							assertThat(standby.isRunning()).isFalse();
							assertThat(second.getBean(ArvadosEventsHealthIndicator.class).health(true).getStatus())
								.isEqualTo(Status.UP);
							List<LogEntry> before = List.of(emit(cluster), emit(cluster));
							await().atMost(WAIT).until(() -> leader.ids().containsAll(ids(before)));
							first.close();
							// Committed while no one leads: found from the saved position, not skipped as 'latest' would.
							List<LogEntry> between = List.of(emit(cluster), emit(cluster));
							Recorder follower = awaitSubscribed(second);
							assertThat(standby.state().role()).isEqualTo(StreamRole.LEADER);
							LogEntry after = emit(cluster);
							await().atMost(WAIT).until(() -> follower.ids().contains(after.id()));
							assertThat(follower.ids()).as("from the saved position, nothing twice")
								.containsExactly(between.get(0).id(), between.get(1).id(), after.id());
						});
				});
		}
	}

	@Test
	void anApplicationsOwnInitiatorDrivesItThroughLeaderEvents() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster, "arvados.events.leader-election.initiator=external").run((context) -> {
				assertThat(context).doesNotHaveBean(LockRegistryLeaderInitiator.class);
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				assertThat(subscription.isRunning()).isFalse();
				context.publishEvent(new OnGrantedEvent(this, new Leading(), "another-role"));
				assertThat(subscription.isRunning()).as("another role's lead is not ours").isFalse();
				context.publishEvent(new OnGrantedEvent(this, new Leading(), "arvados-events"));
				awaitSubscribed(context);
				context.publishEvent(new OnRevokedEvent(this, new Leading(), "arvados-events"));
				assertThat(subscription.isRunning()).isFalse();
				assertThat(subscription.state().role()).isEqualTo(StreamRole.STANDBY);
				assertThat(context.getBean(ArvadosEventsHealthIndicator.class).health(true).getDetails())
					.containsEntry("role", "standby");
			});
		}
	}

	@Test
	void withoutALockRegistryStartUpSaysWhatToSet() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster).run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("arvados.events.leader-election.enabled needs a LockRegistry"));
		}
	}

	@Test
	void withoutSpringIntegrationThereIsNoElection() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster).withClassLoader(new FilteredClassLoader(AbstractLeaderEvent.class)).run((context) -> {
				assertThat(context).doesNotHaveBean(LeaderElectionListener.class);
				awaitSubscribed(context);
			});
		}
	}

	@Test
	void withoutThePropertyThereIsNoElection() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).withConfiguration(AutoConfigurations.of(ArvadosEventsLeaderElectionAutoConfiguration.class))
				.withBean(LockRegistry.class, DefaultLockRegistry::new)
				.run((context) -> {
					assertThat(context).doesNotHaveBean(LeaderElectionListener.class)
						.doesNotHaveBean(LockRegistryLeaderInitiator.class);
					awaitSubscribed(context);
					assertThat(context.getBean(ArvadosEventSubscription.class).state().role()).isNull();
				});
		}
	}

	/** A store both instances share, as a database would be. */
	static final class SharedStore extends InMemoryEventCheckpointStore {

		@Override
		public boolean isDurable() {
			return true;
		}

	}

	/** What an initiator hands over with its events. */
	static final class Leading implements Context {

		@Override
		public boolean isLeader() {
			return true;
		}

	}

}
