package org.arvados.events.dispatch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping of {@link DispatchMode#DIRECT direct} mode for an {@link EventDispatcher}: how many items are
 * queued or being handled, the lock held while the handlers of one item run (on the dispatching thread or on a
 * producer's), and the claim of a producer that handles an event itself. A claim succeeds only when nothing is
 * pending, and it holds the lock from then on, so an item queued after it waits for its handlers: the order and
 * the one-at-a-time rule hold across threads.
 */
final class DirectHandOff {

	/** Items offered and not yet handled, a claimed event included. */
	private final AtomicInteger pending = new AtomicInteger();

	private final ReentrantLock handling = new ReentrantLock();

	/** The thread whose claim is made and not yet let go of, from before it takes the lock until after it lets go. */
	private volatile @Nullable Thread claimant;

	/** Before an item is offered to the queue. */
	void offering() {
		this.pending.incrementAndGet();
	}

	/** An item counted by {@link #offering()} did not go into the queue. */
	void notQueued() {
		this.pending.decrementAndGet();
	}

	/** The dispatching thread takes an item from the queue: it waits for a claimed event's handlers. */
	void beginItem() {
		this.handling.lock();
	}

	/** The dispatching thread is done with an item. Let go of the lock before the count: see {@link #tryClaim}. */
	void endItem() {
		this.handling.unlock();
		this.pending.decrementAndGet();
	}

	/**
	 * Claim the next event for the caller's thread when nothing is pending and the dispatcher still takes events.
	 * @param open whether the dispatcher runs and is not stopping; read after the claim is visible, so that a
	 * dispatching thread ending after a stop either sees the claim ({@link #awaitClaim()}) or this sees the stop
	 * @return whether the caller holds the claim, and must {@link #release()} it
	 */
	boolean tryClaim(BooleanSupplier open) {
		if (!this.pending.compareAndSet(0, 1)) {
			return false;
		}
		this.claimant = Thread.currentThread();
		if (!open.getAsBoolean()) {
			this.claimant = null;
			this.pending.decrementAndGet();
			return false;
		}
		// Free, or about to be: the dispatching thread lets go of it before it counts its last item done.
		this.handling.lock();
		return true;
	}

	/** Whether the given thread holds the claim. */
	boolean isClaimant(Thread thread) {
		return this.claimant == thread;
	}

	/** Let go of the claim the caller holds. */
	void release() {
		this.claimant = null;
		this.handling.unlock();
		this.pending.decrementAndGet();
	}

	/**
	 * Wait until no claim is held: the lock waits while the handlers of a claimed event run, the spin covers only
	 * the moment between a claim and its taking the lock.
	 */
	void awaitClaim() {
		while (this.claimant != null) {
			this.handling.lock();
			this.handling.unlock();
			Thread.onSpinWait();
		}
	}

}
