package org.arvados.events.dispatch;

import java.util.concurrent.TimeUnit;

/**
 * Whether the run that dispatches an event is being stopped: a stop, a stop at once, a lead lost. A handler's retry
 * waits on it between attempts, so that its back-off never holds a stop up.
 */
public interface StopSignal {

	/** Never signalled: for an event published by other means than the dispatcher (a test, a replay tool). */
	StopSignal NEVER = new StopSignal() {

		@Override
		public boolean isStopping() {
			return false;
		}

		@Override
		public boolean await(long nanos) throws InterruptedException {
			TimeUnit.NANOSECONDS.sleep(nanos);
			return false;
		}

	};

	/**
	 * Whether the stop has been signalled.
	 */
	boolean isStopping();

	/**
	 * Wait until the stop is signalled, at most this long.
	 * @param nanos the most to wait
	 * @return whether it was signalled
	 * @throws InterruptedException when the thread was interrupted
	 */
	boolean await(long nanos) throws InterruptedException;

}
