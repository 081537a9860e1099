package org.arvados.events.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The size the events waiting for their handlers (and the one being handled) may take together, in characters of
 * their JSON: a count alone let 256 events of 64 MB each wait at once. An event larger than the whole budget passes
 * alone, when nothing else holds any of it.
 * <p>
 * Taken and given back with one atomic add each on the event's path; a producer that finds no room waits on the
 * monitor, and a release wakes it only when one waits. Written by hand: a {@code Semaphore} counts permits in
 * {@code int}s and cannot let one oversized event through alone.
 */
final class QueueBudget {

	private final long max;

	private final AtomicLong used = new AtomicLong();

	private volatile int waiting;

	QueueBudget(long max) {
		this.max = max;
	}

	/**
	 * Take room for an event, waiting up to a time for it.
	 * @param amount the event's size
	 * @param timeoutNanos how long to wait
	 * @return whether the room was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean acquire(long amount, long timeoutNanos) throws InterruptedException {
		if (tryAcquire(amount)) {
			return true;
		}
		long deadline = System.nanoTime() + timeoutNanos;
		synchronized (this) {
			// Counted before the check, so that a release after the check sees it and wakes this thread.
			this.waiting++;
			try {
				while (!tryAcquire(amount)) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						return false;
					}
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
				return true;
			}
			finally {
				this.waiting--;
			}
		}
	}

	/**
	 * Give back an event's room.
	 * @param amount its size
	 */
	void release(long amount) {
		this.used.addAndGet(-amount);
		if (this.waiting > 0) {
			synchronized (this) {
				notifyAll();
			}
		}
	}

	private boolean tryAcquire(long amount) {
		while (true) {
			long now = this.used.get();
			if (now > 0 && now + amount > this.max) {
				return false;
			}
			if (this.used.compareAndSet(now, now + amount)) {
				return true;
			}
		}
	}

}
