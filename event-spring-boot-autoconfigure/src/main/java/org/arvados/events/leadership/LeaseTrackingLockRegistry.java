package org.arvados.events.leadership;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import org.springframework.integration.support.locks.LockRegistry;

/**
 * A {@link LockRegistry} whose locks tell a {@link LeadLease} each time they are taken: the leader initiator takes
 * its lock again every heartbeat to renew it, and that is the only sign of a renewal it gives. Everything else is
 * the delegate's.
 */
public final class LeaseTrackingLockRegistry implements LockRegistry<Lock> {

	private final LockRegistry<?> delegate;

	private final LeadLease lease;

	/**
	 * @param delegate the registry that holds the locks
	 * @param lease told of each lock taken
	 */
	public LeaseTrackingLockRegistry(LockRegistry<?> delegate, LeadLease lease) {
		this.delegate = delegate;
		this.lease = lease;
	}

	@Override
	public Lock obtain(Object lockKey) {
		return new TrackingLock(this.delegate.obtain(lockKey));
	}

	private final class TrackingLock implements Lock {

		private final Lock lock;

		TrackingLock(Lock lock) {
			this.lock = lock;
		}

		@Override
		public void lock() {
			this.lock.lock();
			LeaseTrackingLockRegistry.this.lease.renewed();
		}

		@Override
		public void lockInterruptibly() throws InterruptedException {
			this.lock.lockInterruptibly();
			LeaseTrackingLockRegistry.this.lease.renewed();
		}

		@Override
		public boolean tryLock() {
			return taken(this.lock.tryLock());
		}

		@Override
		public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
			return taken(this.lock.tryLock(time, unit));
		}

		@Override
		public void unlock() {
			this.lock.unlock();
		}

		@Override
		public Condition newCondition() {
			return this.lock.newCondition();
		}

		private boolean taken(boolean taken) {
			if (taken) {
				LeaseTrackingLockRegistry.this.lease.renewed();
			}
			return taken;
		}

	}

}
