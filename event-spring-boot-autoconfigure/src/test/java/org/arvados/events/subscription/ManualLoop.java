package org.arvados.events.subscription;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A {@link StreamLoop} driven by the test: tasks run when the test says so, in order of due time, on the test's
 * thread; time moves only with {@link #advance}.
 */
final class ManualLoop implements StreamLoop {

	private final PriorityQueue<Task> tasks = new PriorityQueue<>(
			Comparator.comparingLong(Task::due).thenComparingLong(Task::sequence));

	private long now;

	private long sequence;

	private boolean shutdown;

	@Override
	public void execute(Runnable task) {
		add(task, 0, 0);
	}

	@Override
	public Timer schedule(Runnable task, Duration delay) {
		return add(task, delay.toNanos(), 0);
	}

	@Override
	public Timer scheduleWithFixedDelay(Runnable task, Duration period) {
		return add(task, period.toNanos(), period.toNanos());
	}

	@Override
	public long nanoTime() {
		return this.now;
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
		this.tasks.clear();
	}

	boolean isShutdown() {
		return this.shutdown;
	}

	/** Run every task that is due now, and those they hand over that are due now too. */
	void runDue() {
		advance(Duration.ZERO);
	}

	/** Move the clock, running each task when its time comes. */
	void advance(Duration duration) {
		long until = this.now + duration.toNanos();
		for (Task next = this.tasks.peek(); next != null && next.due() <= until; next = this.tasks.peek()) {
			this.tasks.poll();
			this.now = Math.max(this.now, next.due());
			if (next.cancelled()[0]) {
				continue;
			}
			next.task().run();
			if (next.period() > 0 && !next.cancelled()[0] && !this.shutdown) {
				this.tasks.add(new Task(next.task(), this.now + next.period(), next.period(), this.sequence++,
						next.cancelled()));
			}
		}
		this.now = until;
	}

	private Timer add(Runnable task, long delayNanos, long period) {
		boolean[] cancelled = new boolean[1];
		if (!this.shutdown) {
			this.tasks.add(new Task(task, this.now + delayNanos, period, this.sequence++, cancelled));
		}
		return () -> cancelled[0] = true;
	}

	private record Task(Runnable task, long due, long period, long sequence, boolean[] cancelled) {
	}

}
