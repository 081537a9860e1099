package org.arvados.events.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

/**
 * Runs the handlers of events on up to {@code concurrency} threads: the events of one object (its
 * {@code object_uuid}; events without one share a key) one at a time, in the order they were handed off, and those
 * of different objects in parallel. Bounded: at most {@code maxInFlight} events waiting or running, and at most
 * {@code maxPerKey} of one object, so that one busy object cannot take every place from the others; beyond either,
 * {@link #submit} waits, and so does the thread that reads the queue.
 * <p>
 * Each object's events form a chain: the first to arrive for an idle object is given to the pool, and each one, when
 * its handlers are done, gives the pool the next of its object, if any. So no two of one object ever run at once,
 * and a thread is never held by an object that waits. Written by hand: an executor per key (or a striped one) would
 * either keep a thread per object or serialize unrelated objects that share a stripe.
 */
final class KeyedHandOff {

	private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final int maxInFlight;

	private final int maxPerKey;

	private final ExecutorService pool;

	private final LongConsumer onWaited;

	/** Guards the fields below; waited on for room and for idleness. */
	private final Object lock = new Object();

	/** The events of each object with one running: the head runs, the rest wait. */
	private final Map<String, ArrayDeque<Task>> chains = new HashMap<>();

	private int inFlight;

	/** The pool's threads: a handler that stops the subscription must not wait for its own thread. */
	private final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/**
	 * @param concurrency how many threads run handlers
	 * @param maxInFlight how many events may wait or run
	 * @param maxPerKey how many events of one object may wait or run
	 * @param threadName the pool threads' name, numbered
	 * @param onWaited told, on a pool thread, how long each event waited from its hand-off to the start of its
	 * handlers (for the earlier events of its object, and for a thread), in nanoseconds
	 */
	KeyedHandOff(int concurrency, int maxInFlight, int maxPerKey, String threadName, LongConsumer onWaited) {
		this.maxInFlight = maxInFlight;
		this.maxPerKey = maxPerKey;
		this.onWaited = onWaited;
		AtomicInteger number = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(() -> {
						try {
							runnable.run();
						}
						finally {
							this.threads.remove(Thread.currentThread());
						}
					}, threadName + "-" + number.incrementAndGet());
					thread.setDaemon(true);
					this.threads.add(thread);
					return thread;
				});
	}

	/** The key of an event: its object; events without one share a key. */
	static String keyOf(ArvadosEvent event) {
		String object = event.objectUuid();
		return (object != null) ? object : "";
	}

	/**
	 * Hand an event's handling off, waiting while the bounds are reached.
	 * @param event the event
	 * @param handling what runs its handlers; must not throw
	 * @param giveUp asked while waiting: when it turns true, the event is not handed off
	 * @return whether it was handed off
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean submit(ArvadosEvent event, Runnable handling, BooleanSupplier giveUp) throws InterruptedException {
		String key = keyOf(event);
		Task task = new Task(key, event, handling, System.nanoTime());
		synchronized (this.lock) {
			while (this.inFlight >= this.maxInFlight || chainLength(key) >= this.maxPerKey) {
				if (giveUp.getAsBoolean()) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.lock, WAIT_SLICE_NANOS);
			}
			this.inFlight++;
			ArrayDeque<Task> chain = this.chains.get(key);
			if (chain != null) {
				chain.add(task);
				return true;
			}
			chain = new ArrayDeque<>();
			chain.add(task);
			this.chains.put(key, chain);
		}
		this.pool.execute(() -> run(task));
		return true;
	}

	private int chainLength(String key) {
		ArrayDeque<Task> chain = this.chains.get(key);
		return (chain != null) ? chain.size() : 0;
	}

	private void run(Task task) {
		if (task.startable()) {
			this.onWaited.accept(Math.max(0, System.nanoTime() - task.submittedAt));
			task.handling.run();
		}
		Task next;
		synchronized (this.lock) {
			this.inFlight--;
			ArrayDeque<Task> chain = this.chains.get(task.key);
			if (chain != null && chain.peek() == task) {
				chain.poll();
			}
			next = (chain != null) ? chain.peek() : null;
			if (next == null) {
				this.chains.remove(task.key);
			}
			this.lock.notifyAll();
		}
		if (next != null) {
			Task following = next;
			this.pool.execute(() -> run(following));
		}
	}

	/**
	 * Take back every event that waits for an earlier one of its object: they will not run. Those running finish.
	 * @return the events taken back, in the order they were handed off per object
	 */
	List<ArvadosEvent> dropWaiting() {
		List<ArvadosEvent> dropped = new ArrayList<>();
		synchronized (this.lock) {
			for (ArrayDeque<Task> chain : this.chains.values()) {
				// The head is running, or given to the pool and about to: if it has not started, it will not.
				for (Task task : chain) {
					if (task.cancel()) {
						dropped.add(task.event);
					}
				}
			}
		}
		return dropped;
	}

	/**
	 * Wait until no event waits or runs.
	 * @param giveUp asked while waiting: when it turns true, stop waiting
	 * @return whether it is idle
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean awaitIdle(BooleanSupplier giveUp) throws InterruptedException {
		synchronized (this.lock) {
			while (this.inFlight > 0) {
				if (giveUp.getAsBoolean()) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.lock, WAIT_SLICE_NANOS);
			}
			return true;
		}
	}

	/** How many events wait or run. */
	int inFlight() {
		synchronized (this.lock) {
			return this.inFlight;
		}
	}

	/** How many objects have events waiting or running. */
	int keys() {
		synchronized (this.lock) {
			return this.chains.size();
		}
	}

	/** The event handed off first among those that wait or run, or {@code null}. */
	@Nullable ArvadosEvent oldest() {
		synchronized (this.lock) {
			Task oldest = null;
			for (ArrayDeque<Task> chain : this.chains.values()) {
				Task head = chain.peek();
				if (head != null && (oldest == null || head.submittedAt - oldest.submittedAt < 0)) {
					oldest = head;
				}
			}
			return (oldest != null) ? oldest.event : null;
		}
	}

	/** Whether the thread is one of the pool's. */
	boolean owns(Thread thread) {
		return this.threads.contains(thread);
	}

	/**
	 * Interrupt the handlers that run now, as a hard stop interrupts the dispatching thread that runs them at a
	 * concurrency of 1: a handler that waits (a retry's back-off, a blocking call) ends sooner. A pool thread that
	 * waits for work takes no harm.
	 */
	void interruptRunning() {
		this.threads.forEach(Thread::interrupt);
	}

	/** Let the pool's threads end once their tasks are done. */
	void shutdown() {
		this.pool.shutdown();
	}

	private static final class Task {

		private final String key;

		private final ArvadosEvent event;

		private final Runnable handling;

		private final long submittedAt;

		/** 0 new, 1 started, 2 cancelled. */
		private final AtomicInteger state = new AtomicInteger();

		Task(String key, ArvadosEvent event, Runnable handling, long submittedAt) {
			this.key = key;
			this.event = event;
			this.handling = handling;
			this.submittedAt = submittedAt;
		}

		boolean startable() {
			return this.state.compareAndSet(0, 1);
		}

		boolean cancel() {
			return this.state.compareAndSet(0, 2);
		}

	}

}
