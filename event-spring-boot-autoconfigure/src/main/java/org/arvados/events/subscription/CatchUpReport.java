package org.arvados.events.subscription;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.lifecycle.CaughtUpEvent;

/**
 * Says when a catch-up through the logs list is done: a {@link CaughtUpEvent} after the first one of each start
 * (the end of the history), and after any later one that took longer than the threshold. The event goes through
 * the handlers' queue, behind the events it counts. Used on the machine's thread only.
 */
final class CatchUpReport {

	private static final Log logger = LogFactory.getLog(CatchUpReport.class);

	private final EventIntake intake;

	private final StreamStatus status;

	private final Duration threshold;

	private boolean initial = true;

	/** When the catch-up under way began (its first request); -1 when none is under way. */
	private long beganNanos = -1;

	private long afterId;

	private long queuedBefore;

	CatchUpReport(EventIntake intake, StreamStatus status, Duration threshold) {
		this.intake = intake;
		this.status = status;
		this.threshold = threshold;
	}

	/** The stream starts: its first catch-up is the history. */
	void restart() {
		this.initial = true;
		this.beganNanos = -1;
	}

	/** A pass through the list begins; the first since the last report begins the catch-up. */
	void passBegins() {
		if (this.beganNanos < 0) {
			this.beganNanos = System.nanoTime();
			this.afterId = this.intake.resumeAfter();
			this.queuedBefore = this.intake.queued();
		}
	}

	/**
	 * The catch-up reached the newest event: report it if it is the history or took long.
	 * @param stillWanted whether the stream still runs, while waiting for room in the queue
	 */
	void caughtUp(BooleanSupplier stillWanted) {
		if (this.beganNanos < 0) {
			return;
		}
		Duration took = Duration.ofNanos(System.nanoTime() - this.beganNanos);
		boolean initial = this.initial;
		this.initial = false;
		this.beganNanos = -1;
		if (!initial && took.compareTo(this.threshold) <= 0) {
			return;
		}
		long afterId = this.afterId;
		long before = this.queuedBefore;
		this.intake.enqueueNotice((queued) -> {
			CaughtUpEvent event = new CaughtUpEvent(this.status.source(), initial, afterId, this.intake.highestId(),
					queued - before, took, this.status.mode());
			logger.info("Caught up through the logs list " + describe(event));
			return event;
		}, stillWanted);
	}

	private static String describe(CaughtUpEvent event) {
		return "after id " + event.getAfterId() + " through id " + event.getThroughId() + ": " + event.getEvents()
				+ " event(s) for the handlers in " + event.getDuration().toMillis() + " ms"
				+ (event.isInitial() ? " (the history of this start)" : "");
	}

}
