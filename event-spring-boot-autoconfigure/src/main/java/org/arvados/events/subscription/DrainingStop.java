package org.arvados.events.subscription;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.checkpoint.Checkpoint;
import org.arvados.events.dispatch.EventDispatcher;
import org.arvados.events.lifecycle.SubscriptionStoppedEvent;

/**
 * The stop of a subscription once its stream no longer reads: the queued events reach their handlers, the position
 * is saved, a line says where the next start resumes, and the callback runs. Bounded by the stop's timeout: a
 * handler that does not return does not hold the shutdown; what the stop then lets go is not handled (its ids are
 * gaps again for the next start, and nothing pins the position), and the last save gets what is left of the time.
 */
final class DrainingStop {

	private static final Log logger = LogFactory.getLog(ArvadosEventSubscription.class);

	private final SubscriptionSettings settings;

	private final EventIntake intake;

	private final StreamStatus status;

	private final Duration timeout;

	DrainingStop(SubscriptionSettings settings, EventIntake intake, StreamStatus status, Duration timeout) {
		this.settings = settings;
		this.intake = intake;
		this.status = status;
		this.timeout = timeout;
	}

	/**
	 * Drain, save and say so, then run the callback: on the dispatching thread once the queue is drained, or on a
	 * timer's when the timeout comes first. Returns at once.
	 * @param source the subscription, the source of the {@link SubscriptionStoppedEvent}
	 * @param callback run once, last
	 */
	void begin(Object source, Runnable callback) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		AtomicBoolean done = new AtomicBoolean();
		Runnable finish = () -> {
			if (done.compareAndSet(false, true)) {
				stopped(source, deadline);
				callback.run();
			}
		};
		EventDispatcher.Stopping stopping = this.intake.dispatcher().stop(finish);
		CompletableFuture.delayedExecutor(this.timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
			if (!done.get()) {
				List<ArvadosEvent> abandoned = this.intake.abandon(stopping::abandon);
				logger.warn("The Arvados event handlers did not finish within " + this.timeout.toMillis()
						+ " ms of the stop; " + abandoned.size() + " event(s) queued or in their handlers are let "
						+ "go, and the next start reads them again");
				finish.run();
			}
		});
	}

	// The last save gets what is left of the stop's time, and at least a twentieth of it: a drain that took it all
	// must not leave the save none.
	private void stopped(Object source, long deadline) {
		Duration budget = Duration.ofNanos(Math.max(deadline - System.nanoTime(), this.timeout.toNanos() / 20));
		Checkpoint saved = this.intake.saveCheckpoint(budget);
		long inMemory = this.intake.resumeAfter();
		long resumesAfter = (saved != null) ? saved.lowWaterMark() : inMemory;
		String unsaved = (saved != null && saved.lowWaterMark() != inMemory)
				? " (the last save; the position in memory, after id " + inMemory + ", could not be saved)" : "";
		logger.info("Stopped following Arvados events from " + this.settings.endpoint() + " at id "
				+ this.intake.highestId() + " (the highest read); the next start resumes after id " + resumesAfter
				+ unsaved);
		this.status.publish(new SubscriptionStoppedEvent(source, resumesAfter));
	}

}
