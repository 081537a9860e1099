package org.arvados.events.subscription;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link StreamLoop} of a running subscription: one thread that runs tasks one at a time, now or later.
 * <p>
 * The thread is not a daemon: while the subscription runs it keeps the JVM alive, as spring-kafka's listener
 * containers do, so an application without a web server follows the stream until it is told to stop. Once shut
 * down it takes no more: a task handed to it then is dropped, because only stopping shuts it down.
 */
final class SerialWorker implements StreamLoop {

	private static final Timer NOTHING = () -> {
	};

	private final ScheduledExecutorService executor;

	SerialWorker(String name) {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(false);
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

	@Override
	public void shutdown() {
		this.executor.shutdownNow();
	}

	private static Timer timer(Future<?> future) {
		return () -> future.cancel(false);
	}

}
