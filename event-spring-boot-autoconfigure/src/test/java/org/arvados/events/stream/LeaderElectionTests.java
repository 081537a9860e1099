package org.arvados.events.stream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.arvados.events.autoconfigure.health.ArvadosEventsHealthContributorAutoConfiguration;
import org.arvados.events.autoconfigure.leadership.ArvadosEventsLeaderElectionAutoConfiguration;
import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.checkpoint.EventCheckpointStore;
import org.arvados.events.checkpoint.InMemoryEventCheckpointStore;
import org.arvados.events.checkpoint.MetadataStoreEventCheckpointStore;
import org.arvados.events.health.ArvadosEventsHealthIndicator;
import org.arvados.events.leadership.LeadLease;
import org.arvados.events.leadership.LeaderElectionListener;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.integration.metadata.SimpleMetadataStore;
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
@ExtendWith(OutputCaptureExtension.class)
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

	// A leader paused past its lock wakes and goes on while another claimed the lead: its next save is refused.
	@Test
	void aLeaderWhoseSaveIsRefusedHandsNothingMoreStandsByGivesTheLeadUpAndMayLeadAgain() {
		SimpleMetadataStore metadata = new SimpleMetadataStore();
		Leading lead = new Leading();
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster, "arvados.events.leader-election.initiator=external", "arvados.events.checkpoint.interval=50ms")
				.withBean(EventCheckpointStore.class, () -> new MetadataStoreEventCheckpointStore(metadata, "orders"))
				.run((context) -> {
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					context.publishEvent(new OnGrantedEvent(this, lead, "arvados-events"));
					Recorder recorder = awaitSubscribed(context);
					LogEntry first = emit(cluster);
					await().atMost(WAIT).until(() -> savedHighest(metadata) == first.id());
					// Another instance takes the lead: it claims the next term.
					new MetadataStoreEventCheckpointStore(metadata, "orders").load();
					emit(cluster);
					await().atMost(WAIT).until(() -> lead.yields.get() == 1);
					assertThat(subscription.isRunning()).isFalse();
					assertThat(subscription.state().role()).isEqualTo(StreamRole.STANDBY);
					assertThat(context.getBean(ArvadosEventsHealthIndicator.class).health(true).getStatus())
						.isEqualTo(Status.UP);
					LogEntry meanwhile = emit(cluster);
					await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !recorder.ids().contains(meanwhile.id()));
					context.publishEvent(new OnGrantedEvent(this, lead, "arvados-events"));
					await().atMost(WAIT).until(() -> recorder.ids().contains(meanwhile.id()));
					assertThat(subscription.state().role()).isEqualTo(StreamRole.LEADER);
				});
		}
	}

	// Another instance led meanwhile and saved further: the grant starts from there, not from this one's own.
	@Test
	void everyGrantStartsFromTheSharedPositionWhateverTheStartFrom() {
		SimpleMetadataStore metadata = new SimpleMetadataStore();
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster, "arvados.events.leader-election.initiator=external", "arvados.events.start-from=latest",
					"arvados.events.checkpoint.interval=50ms")
				.withBean(EventCheckpointStore.class, () -> new MetadataStoreEventCheckpointStore(metadata, "orders"))
				.run((context) -> {
					context.publishEvent(new OnGrantedEvent(this, new Leading(), "arvados-events"));
					Recorder recorder = awaitSubscribed(context);
					LogEntry first = emit(cluster);
					await().atMost(WAIT).until(() -> savedHighest(metadata) == first.id());
					context.publishEvent(new OnRevokedEvent(this, new Leading(), "arvados-events"));
					LogEntry handledByAnother = emit(cluster);
					MetadataStoreEventCheckpointStore another = new MetadataStoreEventCheckpointStore(metadata, "orders");
					another.load();
					another.save(Checkpoint.after(handledByAnother.id()));
					LogEntry next = emit(cluster);
					context.publishEvent(new OnGrantedEvent(this, new Leading(), "arvados-events"));
					await().atMost(WAIT).until(() -> recorder.ids().contains(next.id()));
					assertThat(recorder.ids()).containsExactly(first.id(), next.id());
				});
		}
	}

	@Test
	void aStartThatFailsInsideTheGrantGivesTheLeadUp(CapturedOutput output) {
		SimpleMetadataStore metadata = new SimpleMetadataStore();
		metadata.put("orders", "{\"v\":1,\"highest\":");
		Leading lead = new Leading();
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster, "arvados.events.leader-election.initiator=external")
				.withBean(EventCheckpointStore.class, () -> new MetadataStoreEventCheckpointStore(metadata, "orders"))
				.run((context) -> {
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					context.publishEvent(new OnGrantedEvent(this, lead, "arvados-events"));
					assertThat(lead.yields).hasValue(1);
					assertThat(subscription.isRunning()).isFalse();
					assertThat(subscription.state().role()).isEqualTo(StreamRole.STANDBY);
					assertThat(output).contains("could not start following Arvados events when granted the lead");
				});
		}
	}

	// A leader paused past its lock's life (its renewals stop, as under SIGSTOP or a stalled database) hands nothing
	// more, before any revoke: it stands by and gives the lead up, and leads again once it can renew.
	@Test
	void aLeaderThatCannotRenewItsLockHandsNothingMoreAndLeadsAgainLater() {
		SimpleMetadataStore metadata = new SimpleMetadataStore();
		FreezableLockRegistry locks = new FreezableLockRegistry();
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster, "arvados.events.leader-election.lock-time-to-live=1s",
					"arvados.events.checkpoint.interval=50ms")
				.withBean(LockRegistry.class, () -> locks)
				.withBean(EventCheckpointStore.class, () -> new MetadataStoreEventCheckpointStore(metadata, "orders"))
				.run((context) -> {
					ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
					LeadLease lease = context.getBean(LeadLease.class);
					Recorder recorder = awaitSubscribed(context);
					LogEntry first = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(first.id()));
					locks.frozen.set(true);
					await().atMost(WAIT).until(() -> !lease.getAsBoolean());
					LogEntry whileStale = emit(cluster);
					await().atMost(WAIT).until(() -> subscription.state().role() == StreamRole.STANDBY);
					assertThat(recorder.ids()).doesNotContain(whileStale.id());
					assertThat(subscription.isRunning()).isFalse();
					locks.frozen.set(false);
					await().atMost(WAIT).until(() -> recorder.ids().contains(whileStale.id()));
					assertThat(subscription.state().role()).isEqualTo(StreamRole.LEADER);
				});
		}
	}

	// A stalled database: the lock is still renewed (here), but nothing handled is saved. The leader waits rather
	// than hand on events the next leader would handle again.
	@Test
	void aLeaderWhoseSavesDoNotLandWaitsRatherThanHandMoreThanAnInterval() {
		StopTests.HangingStore store = new StopTests.HangingStore();
		try (FakeArvadosCluster cluster = cluster().start()) {
			electing(cluster, "arvados.events.checkpoint.interval=200ms")
				.withBean(LockRegistry.class, DefaultLockRegistry::new)
				.withBean(EventCheckpointStore.class, () -> store)
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry saved = emit(cluster);
					await().atMost(WAIT).until(() -> store.last != null && store.last.highestId() == saved.id());
					store.hang.set(true);
					LogEntry unsaved = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(unsaved.id()));
					// Its save hangs, and a checkpoint interval goes by.
					await().atMost(WAIT).until(() -> store.hanging);
					await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
					LogEntry held = emit(cluster);
					await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> !recorder.ids().contains(held.id()));
					store.hang.set(false);
					store.release.countDown();
					await().atMost(WAIT).until(() -> recorder.ids().contains(held.id()));
				});
		}
	}

	private static long savedHighest(SimpleMetadataStore metadata) {
		String value = metadata.get("orders");
		return (value != null && value.contains("highest")) ? Checkpoint.parse(value).highestId() : -1;
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

	/** Locks that cannot be taken or renewed while frozen: each try waits until thawed, as a paused thread would. */
	static final class FreezableLockRegistry implements LockRegistry<java.util.concurrent.locks.Lock> {

		final java.util.concurrent.atomic.AtomicBoolean frozen = new java.util.concurrent.atomic.AtomicBoolean();

		private final DefaultLockRegistry delegate = new DefaultLockRegistry();

		@Override
		public java.util.concurrent.locks.Lock obtain(Object lockKey) {
			java.util.concurrent.locks.Lock lock = this.delegate.obtain(lockKey);
			return new java.util.concurrent.locks.Lock() {

				@Override
				public void lock() {
					lock.lock();
				}

				@Override
				public void lockInterruptibly() throws InterruptedException {
					lock.lockInterruptibly();
				}

				@Override
				public boolean tryLock() {
					return lock.tryLock();
				}

				@Override
				public boolean tryLock(long time, java.util.concurrent.TimeUnit unit) throws InterruptedException {
					await().forever().until(() -> !FreezableLockRegistry.this.frozen.get());
					return lock.tryLock(time, unit);
				}

				@Override
				public void unlock() {
					lock.unlock();
				}

				@Override
				public java.util.concurrent.locks.Condition newCondition() {
					return lock.newCondition();
				}

			};
		}

	}

	/** What an initiator hands over with its events. */
	static final class Leading implements Context {

		final AtomicInteger yields = new AtomicInteger();

		@Override
		public boolean isLeader() {
			return true;
		}

		@Override
		public void yield() {
			this.yields.incrementAndGet();
		}

	}

}
