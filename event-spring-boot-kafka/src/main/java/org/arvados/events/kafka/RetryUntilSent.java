package org.arvados.events.kafka;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.errors.RetriableException;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Sends one event until Kafka has it, waiting between attempts as a {@link BackOff} says, for as long as it takes.
 * Only an interrupt of the calling thread ends it unsent: the starter interrupts the dispatching thread when a stop
 * runs out of time and when this instance loses the lead.
 * <p>
 * Blocking is the design, not a shortcut. While a failed event waits here, its handler has not returned, so no later
 * event of its object reaches the publisher (with {@code arvados.events.concurrency} 1, no later event at all): none
 * can land before it, each object's order holds, and the stream's queue fills and its reading pauses (back-pressure)
 * instead of events piling up in memory. Sending later events meanwhile and the failed one after them would put
 * that object's events out of order in the topic for good.
 * <p>
 * A loop over Spring Framework's {@link BackOffExecution} (its core retry support, not the archived spring-retry),
 * rather than its {@code RetryTemplate}: that one keeps the exception of every failed attempt until it returns (a
 * broker down for a day would leave thousands) and gives up after {@code Integer.MAX_VALUE} retries; giving up is
 * what this must never do, and it keeps nothing.
 */
final class RetryUntilSent {

	private static final Log logger = LogFactory.getLog(RetryUntilSent.class);

	private final BackOff backOff;

	private final String topic;

	RetryUntilSent(BackOff backOff, String topic) {
		this.backOff = backOff;
		this.topic = topic;
	}

	/**
	 * Try the send until it succeeds.
	 * @param event the event it sends, for the log lines
	 * @param attempt one send, which returns once Kafka acknowledged it and throws when it did not
	 * @return {@code true} once sent; {@code false} when the thread was interrupted first (it stays interrupted)
	 */
	boolean send(ArvadosEvent event, Attempt attempt) {
		BackOffExecution waits = null;
		int failures = 0;
		boolean saidLasting = false;
		while (true) {
			try {
				attempt.run();
				if (failures > 0) {
					logger.info("Sent Arvados event " + event.id() + " to Kafka topic '" + this.topic + "' after "
							+ failures + " failed attempt(s); the stream goes on");
				}
				return true;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return interrupted(event);
			}
			catch (Throwable ex) {
				// Kafka's client turns an interrupt into an exception of its own, and leaves the thread interrupted.
				if (Thread.currentThread().isInterrupted()) {
					return interrupted(event);
				}
				failures++;
				if (waits == null) {
					waits = this.backOff.start();
				}
				long wait = waits.nextBackOff();
				if (wait == BackOffExecution.STOP) {
					// A back-off that ends (an application's own) starts over: the send never gives up.
					waits = this.backOff.start();
					wait = Math.max(0, waits.nextBackOff());
				}
				saidLasting = failed(event, ex, failures, wait, saidLasting);
				try {
					Thread.sleep(wait);
				}
				catch (InterruptedException interrupt) {
					Thread.currentThread().interrupt();
					return interrupted(event);
				}
			}
		}
	}

	// A failure that may pass (Kafka says retriable: a broker away, a leader moving) is a WARN each time; one that
	// will not pass without a change (a record too large, a denied topic, a bad setting) an ERROR once, then DEBUG.
	private boolean failed(ArvadosEvent event, Throwable failure, int failures, long wait, boolean saidLasting) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		String line = "Arvados event " + event.id() + " (object " + LogSafe.forLog(event.objectUuid())
				+ ") was not sent to Kafka topic '" + this.topic + "' (attempt " + failures + "): "
				+ cause.getClass().getName() + ": " + LogSafe.forLog(String.valueOf(cause.getMessage()))
				+ "; trying again in " + wait + " ms. The position stays before it, and no later event of its object is "
				+ "sent until it is.";
		if (retriable(failure)) {
			logger.warn(line);
			return saidLasting;
		}
		if (!saidLasting) {
			logger.error(line + " This failure does not pass by itself: the stream waits here until it is mended.");
			return true;
		}
		if (logger.isDebugEnabled()) {
			logger.debug(line);
		}
		return true;
	}

	private static boolean retriable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RetriableException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private boolean interrupted(ArvadosEvent event) {
		logger.info("Stopped sending Arvados event " + event.id() + " to Kafka topic '" + this.topic
				+ "': interrupted (a stop, or the lead lost). It is not acknowledged, so the next start, or the next "
				+ "leader, sends it");
		return false;
	}

	/** One send that returns when Kafka has the record and throws when it does not. */
	@FunctionalInterface
	interface Attempt {

		void run() throws Exception;

	}

}
