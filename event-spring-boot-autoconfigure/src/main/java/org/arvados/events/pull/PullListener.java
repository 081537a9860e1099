package org.arvados.events.pull;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.pull.BoundedEventQueue.Overflow;
import org.jspecify.annotations.Nullable;

/**
 * An open pull listener: the events it selects, oldest first, in a bounded queue of its own, for code that asks
 * for the next one when it is ready. Open one with {@link ArvadosEventListeners#select()}, close it with
 * try-with-resources. The queue is fed from the dispatching thread, which never waits for it: when it is full,
 * the {@link OverflowPolicy} drops an event, {@link #dropped()} counts it, and the first drop of each episode of
 * being full is logged at WARN (its end, once the reader has caught up to half the queue, at INFO).
 * {@link #history()} keeps the last selected events, whether read, queued or dropped.
 * <p>
 * Thread-safe. Closing it wakes every reader: {@link #take()} then throws {@link PullListenerClosedException},
 * {@link #poll(Duration)} returns {@code null}, and {@link #stream()} ends.
 */
public final class PullListener implements AutoCloseable, Iterable<ArvadosEvent> {

	private static final Log logger = LogFactory.getLog(PullListener.class);

	private final String name;

	private final Predicate<ArvadosEvent> selector;

	private final int capacity;

	private final OverflowPolicy policy;

	private final BoundedEventQueue queue;

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong totalDropped;

	private final Consumer<PullListener> onClose;

	private volatile boolean closed;

	PullListener(String name, Predicate<ArvadosEvent> selector, int capacity, OverflowPolicy policy, int historySize,
			AtomicLong totalDropped, Consumer<PullListener> onClose) {
		this.name = name;
		this.selector = selector;
		this.capacity = capacity;
		this.policy = policy;
		this.queue = new BoundedEventQueue(capacity, policy, historySize);
		this.totalDropped = totalDropped;
		this.onClose = onClose;
	}

	/**
	 * Take an event if this listener selects it; never waits for a reader.
	 * @param event an event on its way to the handlers
	 */
	void offer(ArvadosEvent event) {
		if (this.closed || !selects(event)) {
			return;
		}
		Overflow overflow = this.queue.offer(event);
		if (overflow == Overflow.BEGAN || overflow == Overflow.GOES_ON) {
			this.dropped.incrementAndGet();
			this.totalDropped.incrementAndGet();
		}
		if (overflow == Overflow.BEGAN) {
			logger.warn("The pull listener '" + this.name + "' is full (" + this.capacity + " events): "
					+ ((this.policy == OverflowPolicy.DROP_OLDEST) ? "dropping the oldest" : "dropping new events")
					+ " until it is read (" + this.policy + "); dropped() counts them");
		}
		else if (overflow == Overflow.ENDED) {
			logger.info("The pull listener '" + this.name + "' has room again; " + this.queue.lastEpisode()
					+ " event(s) were dropped while it was full");
		}
	}

	private boolean selects(ArvadosEvent event) {
		try {
			return this.selector.test(event);
		}
		catch (RuntimeException ex) {
			logger.warn("The predicate of the pull listener '" + this.name + "' failed on Arvados event " + event.id()
					+ "; not selected", ex);
			return false;
		}
	}

	/**
	 * The next event, waiting up to a timeout for one.
	 * @param timeout how long to wait
	 * @return the event, or {@code null} after the timeout or once closed
	 * @throws InterruptedException if interrupted while waiting
	 */
	public @Nullable ArvadosEvent poll(Duration timeout) throws InterruptedException {
		return this.queue.poll(timeout.toNanos());
	}

	/**
	 * The next event, waiting as long as it takes.
	 * @return the event
	 * @throws InterruptedException if interrupted while waiting
	 * @throws PullListenerClosedException if closed, before or while waiting
	 */
	public ArvadosEvent take() throws InterruptedException {
		ArvadosEvent next = this.queue.take();
		if (next == null) {
			throw new PullListenerClosedException(this.name);
		}
		return next;
	}

	/**
	 * The events as they come, blocking for each: the stream ends when the listener is closed, or when the reading
	 * thread is interrupted (its interrupt flag is then set again). Read it on a thread of its own.
	 * @return a sequential, ordered stream
	 */
	public Stream<ArvadosEvent> stream() {
		return StreamSupport.stream(new Spliterators.AbstractSpliterator<ArvadosEvent>(Long.MAX_VALUE,
				Spliterator.ORDERED | Spliterator.NONNULL) {

			@Override
			public boolean tryAdvance(Consumer<? super ArvadosEvent> action) {
				try {
					ArvadosEvent next = PullListener.this.queue.take();
					if (next == null) {
						return false;
					}
					action.accept(next);
					return true;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}

		}, false);
	}

	/**
	 * The events as they come, blocking for each, as {@link #stream()}.
	 */
	@Override
	public Iterator<ArvadosEvent> iterator() {
		return stream().iterator();
	}

	/**
	 * Drop the queued events (the history stays).
	 * @return how many there were
	 */
	public int clear() {
		return this.queue.clear();
	}

	/**
	 * The last selected events, oldest first, at most the history size given at open: read, queued or dropped.
	 * @return a copy
	 */
	public List<ArvadosEvent> history() {
		return this.queue.history();
	}

	/** How many selected events were dropped because the queue was full. */
	public long dropped() {
		return this.dropped.get();
	}

	/** How many events wait to be read. */
	public int size() {
		return this.queue.size();
	}

	/** How many events may wait to be read. */
	public int capacity() {
		return this.capacity;
	}

	/** What happens when the queue is full. */
	public OverflowPolicy overflowPolicy() {
		return this.policy;
	}

	/** The name given at open, for log lines. */
	public String name() {
		return this.name;
	}

	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Stop selecting events, drop the queued ones and wake the readers. Closing again does nothing.
	 */
	@Override
	public void close() {
		this.closed = true;
		if (this.queue.close()) {
			this.onClose.accept(this);
		}
	}

	@Override
	public String toString() {
		return "PullListener['" + this.name + "', " + this.selector + ", capacity=" + this.capacity + ", "
				+ this.policy + "]";
	}

}
