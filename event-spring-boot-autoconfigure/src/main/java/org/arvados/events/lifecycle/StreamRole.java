package org.arvados.events.lifecycle;

/**
 * With a leader election ({@code arvados.events.leader-election.enabled}), what this instance does.
 */
public enum StreamRole {

	/** It holds the lead and follows the stream. */
	LEADER,

	/** Another instance leads; this one waits, ready to take over. */
	STANDBY

}
