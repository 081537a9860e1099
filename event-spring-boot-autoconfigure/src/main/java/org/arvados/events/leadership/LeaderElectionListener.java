package org.arvados.events.leadership;

import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.subscription.ArvadosEventSubscription;

import org.springframework.context.ApplicationListener;
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

	private final ArvadosEventSubscription subscription;

	private final String role;

	/**
	 * @param subscription the subscription, which then waits for the lead
	 * @param role the role name whose events count
	 */
	public LeaderElectionListener(ArvadosEventSubscription subscription, String role) {
		this.subscription = subscription;
		this.role = role;
		subscription.awaitLeadership();
	}

	@Override
	public void onApplicationEvent(AbstractLeaderEvent event) {
		if (!this.role.equals(event.getRole())) {
			return;
		}
		if (event instanceof OnGrantedEvent) {
			this.subscription.takeRole(StreamRole.LEADER);
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
