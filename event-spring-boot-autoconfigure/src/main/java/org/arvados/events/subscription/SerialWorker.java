package org.arvados.events.subscription;

import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One daemon thread that runs tasks one at a time, now or later. Once shut down it takes no more: a task
 * handed to it then is dropped, because only stopping shuts it down and there is nothing left to do.
 */
final class SerialWorker {

	private final ScheduledExecutorService executor;

	SerialWorker(String name) {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	void execute(Runnable task) {
		schedule(task, 0);
	}

	@Nullable Future<?> schedule(Runnable task, long delayMillis) {
		try {
			return this.executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	@Nullable Future<?> scheduleWithFixedDelay(Runnable task, long delayMillis) {
		try {
			return this.executor.scheduleWithFixedDelay(task, delayMillis, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	/** Stop, interrupting the running task. */
	void shutdownNow() {
		this.executor.shutdownNow();
	}

	static void cancel(@Nullable Future<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

}
