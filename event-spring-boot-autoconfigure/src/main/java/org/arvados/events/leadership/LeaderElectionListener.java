package org.arvados.events.leadership;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * Gives the subscription its role from Spring Integration's leader events for one role name: on
 * {@link OnGrantedEvent} it loads the checkpoint and starts; on {@link OnRevokedEvent} it stops reading, drains,
 * saves and stands by. Any leader initiator that publishes those events drives it: the starter's own
 * {@code LockRegistryLeaderInitiator} on the database, or an application's (Kubernetes, ZooKeeper).
 */
public class LeaderElectionListener implements ApplicationListener<AbstractLeaderEvent> {

	private static final Log logger = LogFactory.getLog(LeaderElectionListener.class);

	private final ArvadosEventSubscription subscription;

	private final String role;

	/**
	 * @param subscription the subscription, which then waits for the lead
	 * @param role the role name whose events count
	 */
	public LeaderElectionListener(ArvadosEventSubscription subscription, String role) {
		this(subscription, role, null, Duration.ZERO);
	}

	/**
	 * @param subscription the subscription, which then waits for the lead
	 * @param role the role name whose events count
	 * @param lease the freshness of the lead's lock, asked before each event is handed; {@code null} when the
	 * initiator is the application's own, whose renewals are not seen
	 * @param checkpointInterval how long handled events may wait for their save before the next wait for it
	 */
	public LeaderElectionListener(ArvadosEventSubscription subscription, String role, @Nullable LeadLease lease,
			Duration checkpointInterval) {
		this.subscription = subscription;
		this.role = role;
		subscription.awaitLeadership();
		if (lease != null) {
			subscription.guardLead(lease, () -> lease.sinceRenewal().toMillis() + " ms", checkpointInterval);
		}
	}

	@Override
	public void onApplicationEvent(AbstractLeaderEvent event) {
		if (!this.role.equals(event.getRole())) {
			return;
		}
		if (event instanceof OnGrantedEvent) {
			Context context = event.getContext();
			Runnable yieldLead = (context != null) ? context::yield : () -> {
			};
			try {
				this.subscription.takeRole(StreamRole.LEADER, yieldLead);
			}
			catch (RuntimeException ex) {
				// The initiator would swallow it and keep the lock, leading and following nothing: give the lead up,
				// which it tries to take again after its back-off.
				logger.error("This instance could not start following Arvados events when granted the lead ("
						+ ex.getMessage() + "); it gives the lead up and tries again when granted it again");
				this.subscription.takeRole(StreamRole.STANDBY);
				yieldLead.run();
			}
		}
		else if (event instanceof OnRevokedEvent) {
			this.subscription.takeRole(StreamRole.STANDBY);
		}
	}

	/** The role name this listener follows. */
	public String getRole() {
		return this.role;
	}

}
