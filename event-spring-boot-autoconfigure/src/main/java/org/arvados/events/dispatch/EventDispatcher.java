package org.arvados.events.dispatch;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.arvados.events.ArvadosEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Hands events to the handlers on one thread, in the order they were queued, through
 * {@link ApplicationEventPublisher#publishEvent(Object)}. The queue is bounded: when it is full,
 * {@link #offer} waits, and so does the socket reader that calls it. After the handlers of an event
 * return (or fail and the {@link EventHandlerErrorHandler} has had its say), {@code onHandled} is told,
 * never before.
 */
public final class EventDispatcher {

	private static final long POLL_MILLIS = 100;

	private static final int SPINS = 2000;

	private final BlockingQueue<ArvadosEvent> queue;

	private final ApplicationEventPublisher publisher;

	private final EventHandlerErrorHandler errorHandler;

	private final Consumer<ArvadosEvent> onHandled;

	private volatile @Nullable Thread thread;

	private volatile @Nullable Runnable stopCallback;

	public EventDispatcher(int capacity, ApplicationEventPublisher publisher, EventHandlerErrorHandler errorHandler,
			Consumer<ArvadosEvent> onHandled) {
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.publisher = publisher;
		this.errorHandler = errorHandler;
		this.onHandled = onHandled;
	}

	/**
	 * Start the dispatching thread.
	 */
	public synchronized void start() {
		this.stopCallback = null;
		Thread dispatching = new Thread(this::run, "arvados-events-dispatch");
		dispatching.setDaemon(true);
		this.thread = dispatching;
		dispatching.start();
	}

	/**
	 * Queue an event, waiting up to {@code timeout} for room.
	 * @param event the event
	 * @param timeout how long to wait
	 * @return whether it was queued
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean offer(ArvadosEvent event, Duration timeout) throws InterruptedException {
		return this.queue.offer(event, timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * How many events wait for their handlers.
	 */
	public int queueDepth() {
		return this.queue.size();
	}

	/**
	 * Handle what is queued, then stop and run the callback; right away if not running.
	 * @param callback run once the queue is drained
	 */
	public synchronized void stop(Runnable callback) {
		if (this.thread == null) {
			callback.run();
			return;
		}
		this.stopCallback = callback;
	}

	/**
	 * Stop at once, leaving queued events unhandled (they are not marked handled, so a durable checkpoint
	 * does not move past them).
	 */
	public void stopNow() {
		Thread dispatching = this.thread;
		if (dispatching != null) {
			dispatching.interrupt();
		}
	}

	private void run() {
		try {
			while (true) {
				ArvadosEvent event = next();
				if (event != null) {
					dispatch(event);
				}
				else if (this.stopCallback != null) {
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			Runnable callback;
			// Under the lock so that stop() either sees this thread gone or leaves its callback for it.
			synchronized (this) {
				this.thread = null;
				callback = this.stopCallback;
			}
			if (callback != null) {
				callback.run();
			}
		}
	}

	// Spin a moment before parking: in a busy stream the next event is microseconds away, and waking a parked
	// thread costs the socket reader a system call per event.
	private @Nullable ArvadosEvent next() throws InterruptedException {
		for (int i = 0; i < SPINS; i++) {
			ArvadosEvent event = this.queue.poll();
			if (event != null) {
				return event;
			}
			Thread.onSpinWait();
		}
		return this.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
	}

	private void dispatch(ArvadosEvent event) throws InterruptedException {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			// Only plain @EventListener methods get here: @EventHandler methods report their own failures.
			EventHandlerErrorHandlers.handleSafely(this.errorHandler, event, "an @EventListener for ArvadosEvent", ex);
		}
		if (Thread.interrupted()) {
			// Stopped hard while the handlers ran: they may not have finished, so do not count it as handled.
			throw new InterruptedException();
		}
		this.onHandled.accept(event);
	}

}
