package org.arvados.events.pull;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

/**
 * A pull listener's queue and history under one lock: bounded, never blocking the writer, dropping as its
 * {@link OverflowPolicy} says, and telling when an episode of being full begins and ends.
 */
final class BoundedEventQueue {

	/** What an offer did about being full. */
	enum Overflow {

		/** Queued, no episode under way or ending. */
		NONE,

		/** An event was dropped, the first of an episode of being full. */
		BEGAN,

		/** An event was dropped, in an episode already reported. */
		GOES_ON,

		/** Queued, and the reader has caught up to half the queue: the episode is over. */
		ENDED

	}

	private final int capacity;

	private final OverflowPolicy policy;

	private final int historySize;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notEmpty = this.lock.newCondition();

	private final ArrayDeque<ArvadosEvent> queue = new ArrayDeque<>();

	private final ArrayDeque<ArvadosEvent> history = new ArrayDeque<>();

	private long droppedInEpisode;

	private long lastEpisode;

	private boolean closed;

	BoundedEventQueue(int capacity, OverflowPolicy policy, int historySize) {
		this.capacity = capacity;
		this.policy = policy;
		this.historySize = historySize;
	}

	Overflow offer(ArvadosEvent event) {
		this.lock.lock();
		try {
			if (this.closed) {
				return Overflow.NONE;
			}
			if (this.historySize > 0) {
				if (this.history.size() == this.historySize) {
					this.history.removeFirst();
				}
				this.history.addLast(event);
			}
			// An episode ends once the reader has caught up to half the queue: a reader that stays just behind
			// makes room for one event at a time, and would otherwise start an episode per event.
			Overflow result = Overflow.NONE;
			if (this.droppedInEpisode > 0 && this.queue.size() <= this.capacity / 2) {
				this.lastEpisode = this.droppedInEpisode;
				this.droppedInEpisode = 0;
				result = Overflow.ENDED;
			}
			if (this.queue.size() < this.capacity) {
				this.queue.addLast(event);
				this.notEmpty.signal();
				return result;
			}
			if (this.policy == OverflowPolicy.DROP_OLDEST) {
				this.queue.removeFirst();
				this.queue.addLast(event);
			}
			return (this.droppedInEpisode++ == 0) ? Overflow.BEGAN : Overflow.GOES_ON;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** How many events the episode that just {@link Overflow#ENDED ended} dropped. */
	long lastEpisode() {
		this.lock.lock();
		try {
			return this.lastEpisode;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The next event, waiting up to {@code nanos}; {@code null} after that, or at once when closed and empty. */
	@Nullable ArvadosEvent poll(long nanos) throws InterruptedException {
		long left = nanos;
		this.lock.lockInterruptibly();
		try {
			while (this.queue.isEmpty()) {
				if (this.closed || left <= 0) {
					return null;
				}
				left = this.notEmpty.awaitNanos(left);
			}
			return this.queue.pollFirst();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The next event, waiting for one; {@code null} once closed. */
	@Nullable ArvadosEvent take() throws InterruptedException {
		return poll(Long.MAX_VALUE);
	}

	int clear() {
		this.lock.lock();
		try {
			int cleared = this.queue.size();
			this.queue.clear();
			return cleared;
		}
		finally {
			this.lock.unlock();
		}
	}

	List<ArvadosEvent> history() {
		this.lock.lock();
		try {
			return List.copyOf(this.history);
		}
		finally {
			this.lock.unlock();
		}
	}

	int size() {
		this.lock.lock();
		try {
			return this.queue.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Close: drop the queue, wake the readers. @return whether it was open */
	boolean close() {
		this.lock.lock();
		try {
			if (this.closed) {
				return false;
			}
			this.closed = true;
			this.queue.clear();
			this.notEmpty.signalAll();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

}
