package org.arvados.events.subscription;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Waits between connection attempts. They grow while attempts bring nothing new and start over once a
 * connection has delivered a new event: resetting on a mere handshake would let a server that accepts and
 * then drops every connection (a poison event in the replay window does that) hold us in a tight loop.
 */
final class ReconnectBackOff {

	private final BackOff backOff;

	private final AtomicBoolean progressed = new AtomicBoolean();

	private @Nullable BackOffExecution execution;

	ReconnectBackOff(BackOff backOff) {
		this.backOff = backOff;
	}

	/**
	 * A connection delivered a new event: the next wait starts from the beginning.
	 */
	void progressed() {
		this.progressed.set(true);
	}

	/**
	 * The wait before the next attempt; never {@link BackOffExecution#STOP}, reconnecting goes on forever.
	 * @return milliseconds
	 */
	synchronized long nextDelay() {
		if (this.execution == null || this.progressed.getAndSet(false)) {
			this.execution = this.backOff.start();
		}
		long delay = this.execution.nextBackOff();
		if (delay == BackOffExecution.STOP) {
			this.execution = this.backOff.start();
			delay = this.execution.nextBackOff();
		}
		return Math.max(0, delay);
	}

}
