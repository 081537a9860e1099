package org.arvados.events.subscription;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StreamLoop} of a running subscription: one thread that runs tasks one at a time, now or later.
 * <p>
 * The thread is not a daemon: while the subscription runs it keeps the JVM alive, as spring-kafka's listener
 * containers do, so an application without a web server follows the stream until it is told to stop. Once shut
 * down it takes no more: a task handed to it then is dropped, because only stopping shuts it down.
 */
final class SerialWorker implements StreamLoop {

	private static final Log logger = LogFactory.getLog(SerialWorker.class);

	private static final Timer NOTHING = () -> {
	};

	/** How long a stop waits for a task that runs (a request being interrupted) to end. */
	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

	private final ScheduledExecutorService executor;

	private volatile @Nullable Thread thread;

	SerialWorker(String name) {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(false);
			this.thread = thread;
			return thread;
		});
	}

	@Override
	public void execute(Runnable task) {
		schedule(task, Duration.ZERO);
	}

	@Override
	public Timer schedule(Runnable task, Duration delay) {
		try {
			return timer(this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			return NOTHING;
		}
	}

	@Override
	public Timer scheduleWithFixedDelay(Runnable task, Duration period) {
		try {
			return timer(this.executor.scheduleWithFixedDelay(task, period.toNanos(), period.toNanos(),
					TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			return NOTHING;
		}
	}

	@Override
	public long nanoTime() {
		return System.nanoTime();
	}

	// Waits for the task that runs to end (from another thread): a stop then a start must never have two threads
	// drive the machine, whose state only its one thread may touch.
	@Override
	public void shutdown() {
		this.executor.shutdownNow();
		if (Thread.currentThread() == this.thread) {
			return;
		}
		try {
			if (!this.executor.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("The Arvados events stream thread did not end within " + SHUTDOWN_WAIT.toMillis()
						+ " ms of its stop");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Timer timer(Future<?> future) {
		return () -> future.cancel(false);
	}

}
