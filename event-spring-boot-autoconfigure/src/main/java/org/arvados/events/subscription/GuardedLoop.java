package org.arvados.events.subscription;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A {@link StreamLoop} whose tasks cannot end its thread or its timers: whatever a task throws, an {@link Error}
 * included, goes to the owner, and a periodic task runs again at its next period. A scheduled executor keeps an
 * escaped throwable in the task's future, unseen, and runs a periodic task never again: the stream then stopped
 * without a word.
 */
final class GuardedLoop implements StreamLoop {

	private final StreamLoop loop;

	private final Consumer<Throwable> onFailure;

	/**
	 * @param loop the loop to run the tasks on
	 * @param onFailure told on the loop's thread of what a task threw
	 */
	GuardedLoop(StreamLoop loop, Consumer<Throwable> onFailure) {
		this.loop = loop;
		this.onFailure = onFailure;
	}

	@Override
	public void execute(Runnable task) {
		this.loop.execute(guard(task));
	}

	@Override
	public Timer schedule(Runnable task, Duration delay) {
		return this.loop.schedule(guard(task), delay);
	}

	@Override
	public Timer scheduleWithFixedDelay(Runnable task, Duration period) {
		return this.loop.scheduleWithFixedDelay(guard(task), period);
	}

	@Override
	public long nanoTime() {
		return this.loop.nanoTime();
	}

	@Override
	public void shutdown() {
		this.loop.shutdown();
	}

	private Runnable guard(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (Throwable ex) {
				failed(ex);
			}
		};
	}

	private void failed(Throwable failure) {
		try {
			this.onFailure.accept(failure);
		}
		catch (Throwable ex) {
			// Out of memory again, most likely: nothing left to tell it with, and the loop goes on.
		}
	}

}
