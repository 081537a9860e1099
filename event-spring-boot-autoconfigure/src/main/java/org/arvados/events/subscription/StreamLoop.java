package org.arvados.events.subscription;

import java.time.Duration;

/**
 * The one thread that owns the {@link StreamMachine}, and its clock: signals from socket and timer threads are
 * handed to it with {@link #execute}, so the machine's state is only ever touched by this thread. Behind an
 * interface so the machine can be driven by hand, with a manual clock, in tests.
 */
interface StreamLoop {

	/** A loop that runs nothing: before the first start. */
	StreamLoop STOPPED = new StreamLoop() {

		@Override
		public void execute(Runnable task) {
		}

		@Override
		public Timer schedule(Runnable task, Duration delay) {
			return () -> {
			};
		}

		@Override
		public Timer scheduleWithFixedDelay(Runnable task, Duration period) {
			return schedule(task, period);
		}

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

		@Override
		public void shutdown() {
		}

	};

	/**
	 * Run a task on the loop's thread, after the ones already handed to it.
	 * @param task the task
	 */
	void execute(Runnable task);

	/**
	 * Run a task on the loop's thread after a delay.
	 * @param task the task
	 * @param delay how long from now
	 * @return a handle to cancel it
	 */
	Timer schedule(Runnable task, Duration delay);

	/**
	 * Run a task on the loop's thread every {@code period}, first after one period.
	 * @param task the task
	 * @param period the wait between the end of one run and the start of the next
	 * @return a handle to cancel it
	 */
	Timer scheduleWithFixedDelay(Runnable task, Duration period);

	/**
	 * A monotonic clock, in nanoseconds, as {@link System#nanoTime()}.
	 */
	long nanoTime();

	/**
	 * Stop: run nothing more, and interrupt what runs (a blocking request).
	 */
	void shutdown();

	/** A scheduled task. */
	interface Timer {

		/** Do not run it (again). */
		void cancel();

	}

}
