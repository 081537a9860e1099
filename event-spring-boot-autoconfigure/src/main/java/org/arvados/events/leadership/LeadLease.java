package org.arvados.events.leadership;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How fresh this instance's hold on the lead is: the time of the last renewal of its lock, on the monotonic clock.
 * A leader that was paused (a long GC, a VM migration, {@code SIGSTOP}) learns it was deposed only when it next
 * tries something; before it hands an event to the handlers, it asks here. Past the lock's time to live less a
 * margin, the lock may be another instance's already, so the lease is stale and nothing more is handed.
 * <p>
 * Renewed by {@link LeaseTrackingLockRegistry} on each lock the leader initiator takes or renews.
 */
public final class LeadLease implements BooleanSupplier {

	private final long freshNanos;

	private final LongSupplier nanoTime;

	private volatile long renewedAt;

	private volatile boolean renewed;

	/**
	 * @param lockTimeToLive how long the lock lasts without renewal
	 */
	public LeadLease(Duration lockTimeToLive) {
		this(lockTimeToLive, System::nanoTime);
	}

	LeadLease(Duration lockTimeToLive, LongSupplier nanoTime) {
		// A fifth of the time to live (at least a second, at most half) covers a renewal late by a slow database.
		long ttl = lockTimeToLive.toNanos();
		long margin = Math.min(ttl / 2, Math.max(Duration.ofSeconds(1).toNanos(), ttl / 5));
		this.freshNanos = ttl - margin;
		this.nanoTime = nanoTime;
	}

	/** The lock was taken or renewed just now. */
	void renewed() {
		this.renewedAt = this.nanoTime.getAsLong();
		this.renewed = true;
	}

	/**
	 * Whether the lock was renewed recently enough to be this instance's still.
	 * @return {@code false} when stale, or never taken
	 */
	@Override
	public boolean getAsBoolean() {
		// A difference of nano times, never a comparison of two: they may wrap.
		return this.renewed && this.nanoTime.getAsLong() - this.renewedAt < this.freshNanos;
	}

	/**
	 * How long ago the lock was last renewed, for a log line.
	 * @return the time since; zero when never
	 */
	public Duration sinceRenewal() {
		return this.renewed ? Duration.ofNanos(this.nanoTime.getAsLong() - this.renewedAt) : Duration.ZERO;
	}

}
