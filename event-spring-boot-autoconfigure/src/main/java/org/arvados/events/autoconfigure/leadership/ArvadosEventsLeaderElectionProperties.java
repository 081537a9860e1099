package org.arvados.events.autoconfigure.leadership;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Leader election between the instances of one application: only the leader follows the stream.
 */
@ConfigurationProperties("arvados.events.leader-election")
public class ArvadosEventsLeaderElectionProperties {

	/**
	 * Whether only the instance that holds the lead follows the stream; the others stand by.
	 */
	private boolean enabled;

	/**
	 * Name of the role the instances compete for; the leader events of other roles are ignored.
	 */
	private String role = "arvados-events";

	/**
	 * Who decides the leader: 'lock-registry' (a LockRegistryLeaderInitiator on the application's LockRegistry, by
	 * default a JdbcLockRegistry on its DataSource) or 'external' (the application's own leader initiator, e.g.
	 * Kubernetes or ZooKeeper, publishing Spring Integration's leader events for the role).
	 */
	private Initiator initiator = Initiator.LOCK_REGISTRY;

	/**
	 * How long the leader's lock in the database lasts without renewal: after a crash of the leader, another instance
	 * takes over within about this time.
	 */
	private Duration lockTimeToLive = Duration.ofSeconds(10);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getRole() {
		return this.role;
	}

	public void setRole(String role) {
		if (role == null || role.isBlank()) {
			throw new IllegalArgumentException("must not be blank");
		}
		this.role = role;
	}

	public Initiator getInitiator() {
		return this.initiator;
	}

	public void setInitiator(Initiator initiator) {
		this.initiator = initiator;
	}

	public Duration getLockTimeToLive() {
		return this.lockTimeToLive;
	}

	public void setLockTimeToLive(Duration lockTimeToLive) {
		if (lockTimeToLive.isNegative() || lockTimeToLive.isZero()) {
			throw new IllegalArgumentException("must be positive");
		}
		this.lockTimeToLive = lockTimeToLive;
	}

	/** Who decides the leader. */
	public enum Initiator {

		/** The starter's LockRegistryLeaderInitiator. */
		LOCK_REGISTRY,

		/** The application's own leader initiator. */
		EXTERNAL

	}

}
