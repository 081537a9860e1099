package org.arvados.events.autoconfigure.leadership;

import java.util.UUID;

import javax.sql.DataSource;

import org.arvados.events.autoconfigure.ArvadosEventsAutoConfiguration;
import org.arvados.events.autoconfigure.ArvadosEventsProperties;
import org.arvados.events.leadership.LeadLease;
import org.arvados.events.leadership.LeaderElectionListener;
import org.arvados.events.leadership.LeaseTrackingLockRegistry;
import org.arvados.events.subscription.ArvadosEventSubscription;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Auto-configuration of {@code arvados.events.leader-election}: only the instance that holds the lead follows the
 * stream. The subscription reacts to Spring Integration's leader events for its role; unless the application
 * brings its own initiator ({@code leader-election.initiator=external}), a {@link LockRegistryLeaderInitiator} on
 * the application's {@link LockRegistry}, by default a {@link JdbcLockRegistry} on its {@link DataSource} (table
 * {@code INT_LOCK}, created by {@code spring.integration.jdbc.initialize-schema}).
 */
@AutoConfiguration(after = ArvadosEventsAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(AbstractLeaderEvent.class)
@ConditionalOnBooleanProperty("arvados.events.leader-election.enabled")
@ConditionalOnBean(ArvadosEventSubscription.class)
@EnableConfigurationProperties(ArvadosEventsLeaderElectionProperties.class)
public final class ArvadosEventsLeaderElectionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LeaderElectionListener arvadosEventsLeaderElectionListener(ArvadosEventSubscription subscription,
			ArvadosEventsLeaderElectionProperties properties, ArvadosEventsProperties events,
			ObjectProvider<LeadLease> lease) {
		return new LeaderElectionListener(subscription, properties.getRole(), lease.getIfAvailable(),
				events.getCheckpoint().getInterval());
	}

	// The lock registry first: the initiator is made only when there is one.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcLockRegistry.class)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnMissingBean(LockRegistry.class)
	static class JdbcLockRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DefaultLockRepository arvadosEventsLockRepository(DataSource dataSource) {
			DefaultLockRepository repository = new DefaultLockRepository(dataSource);
			// Its start would query INT_LOCK and fail the whole application when the database is down at that moment;
			// the election tries the lock again until the database answers, as the checkpoint store does.
			repository.setCheckDatabaseOnStart(false);
			return repository;
		}

		@Bean
		JdbcLockRegistry arvadosEventsLockRegistry(DefaultLockRepository lockRepository,
				ArvadosEventsLeaderElectionProperties properties) {
			return new JdbcLockRegistry(lockRepository, properties.getLockTimeToLive());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "arvados.events.leader-election.initiator", havingValue = "lock-registry",
			matchIfMissing = true)
	static class LockRegistryInitiatorConfiguration {

		// The freshness of the lead, seen through the initiator's renewals of its lock.
		@Bean
		@ConditionalOnMissingBean
		LeadLease arvadosEventsLeadLease(ArvadosEventsLeaderElectionProperties properties) {
			return new LeadLease(properties.getLockTimeToLive());
		}

		@Bean
		@ConditionalOnMissingBean(name = "arvadosEventsLeaderInitiator")
		LockRegistryLeaderInitiator arvadosEventsLeaderInitiator(ObjectProvider<LockRegistry<?>> lockRegistry,
				ArvadosEventsLeaderElectionProperties properties, LeadLease lease) {
			LockRegistry<?> locks = lockRegistry.getIfUnique();
			if (locks == null) {
				// Else every instance would stand by for ever without a word.
				throw new IllegalStateException("arvados.events.leader-election.enabled needs a LockRegistry to elect a "
						+ "leader with: a DataSource (with spring-integration-jdbc), or a LockRegistry bean of your own; "
						+ "or set arvados.events.leader-election.initiator=external to use your own leader initiator");
			}
			// The instance's own id in the candidate: the lock's holder is told apart by it in logs.
			return new LockRegistryLeaderInitiator(new LeaseTrackingLockRegistry(locks, lease),
					new DefaultCandidate(UUID.randomUUID().toString(), properties.getRole()));
		}

	}

}
