package org.arvados.events.subscription;

import java.net.URI;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.LogSafe;
import org.arvados.events.checkpoint.CheckpointStoreUnavailableException;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.transport.NotAnArvadosApiException;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.TokenRejectedException;
import org.jspecify.annotations.Nullable;

/**
 * How the {@link StreamMachine} answers a failure: what it means, how long to wait before the next try, and how
 * loud to say it. A failure only a person can fix (a rejected token, a wrong endpoint, filters the event server
 * rejects) is an ERROR once per change and DEBUG on each retry after; anything else is a WARN at each retry,
 * which the back-off spaces out.
 */
final class FailurePolicy {

	private static final Log logger = LogFactory.getLog(StreamMachine.class);

	private final URI endpoint;

	private final ReconnectBackOff backOff;

	private final Duration slowRetry;

	private final SecretRedactor redactor;

	/**
	 * @param endpoint the API, for messages
	 * @param backOff the waits between attempts
	 * @param slowRetry the wait when trying again soon cannot help (a wrong endpoint)
	 * @param redactor keeps the token out of messages
	 */
	FailurePolicy(URI endpoint, ReconnectBackOff backOff, Duration slowRetry, SecretRedactor redactor) {
		this.endpoint = endpoint;
		this.backOff = backOff;
		this.slowRetry = slowRetry;
		this.redactor = redactor;
	}

	/**
	 * What a failed call to the API means.
	 * @param failure what it threw
	 * @param verifying whether it was the check of the API and the token
	 * @return the decision
	 */
	Decision of(RuntimeException failure, boolean verifying) {
		if (failure instanceof TokenRejectedException) {
			return new Decision(DisconnectReason.TOKEN_REJECTED, String.valueOf(failure.getMessage()),
					wait(DisconnectReason.TOKEN_REJECTED), true);
		}
		if (failure instanceof NotAnArvadosApiException) {
			return new Decision(DisconnectReason.NOT_AN_ARVADOS_API, String.valueOf(failure.getMessage()),
					wait(DisconnectReason.NOT_AN_ARVADOS_API), true);
		}
		if (failure instanceof CheckpointStoreUnavailableException) {
			Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
			return new Decision(DisconnectReason.CHECKPOINT_UNAVAILABLE, "Cannot load the saved position ("
					+ this.redactor.describe(cause) + ")", wait(DisconnectReason.CHECKPOINT_UNAVAILABLE), false);
		}
		String what = verifying ? "reach the API of " : "read the logs list of ";
		return new Decision(DisconnectReason.LIST_FAILED,
				"Cannot " + what + this.endpoint + " (" + this.redactor.describe(failure) + ")",
				wait(DisconnectReason.LIST_FAILED), false);
	}

	/**
	 * What a failure of the WebSocket means.
	 * @param reason why, typed
	 * @param description for a log line, without the token
	 * @return the decision
	 */
	Decision of(DisconnectReason reason, String description) {
		return new Decision(reason, description, wait(reason), false);
	}

	/**
	 * What a failure that no task expected means: an {@link Error} (out of memory, a stack overflow) or a bug. The
	 * stream starts again from the check of the API, after a back-off.
	 * @param failure what a task of the stream's thread threw
	 * @return the decision
	 */
	Decision unexpected(Throwable failure) {
		StackTraceElement[] trace = failure.getStackTrace();
		String where = (trace.length > 0) ? " at " + trace[0] : "";
		return new Decision(DisconnectReason.INTERNAL_FAILURE, "Unexpected failure on the thread that follows Arvados "
				+ "events from " + this.endpoint + ": " + this.redactor.describe(failure) + where,
				wait(DisconnectReason.INTERNAL_FAILURE), true);
	}

	/**
	 * Say the failure, as loud as it deserves.
	 * @param decision the failure
	 * @param current the reason events did not flow before it, if any
	 */
	void report(Decision decision, @Nullable DisconnectReason current) {
		boolean loud = decision.reason().needsAttention() || decision.reason() == DisconnectReason.SUBSCRIPTION_REJECTED
				|| decision.reason() == DisconnectReason.INTERNAL_FAILURE;
		// The description may quote the cluster (a content type, an error page).
		String text = LogSafe.forLog(decision.description());
		long millis = decision.delay().toMillis();
		if (loud && decision.reason() != current) {
			logger.error(text + ". Trying again in " + millis + " ms");
		}
		else if (loud) {
			logger.debug(text + ". Trying again in " + millis + " ms");
		}
		else {
			logger.warn(text + "; trying again in " + millis + " ms");
		}
	}

	private Duration wait(DisconnectReason reason) {
		return switch (reason) {
			case NOT_AN_ARVADOS_API, SUBSCRIPTION_REJECTED -> this.slowRetry;
			default -> Duration.ofMillis(this.backOff.nextDelay());
		};
	}

	/**
	 * A failure and what to do about it.
	 *
	 * @param reason why, typed
	 * @param description for people, without the token
	 * @param delay the wait before the next try
	 * @param verifyFirst whether the API and the token must be checked again before anything else
	 */
	record Decision(DisconnectReason reason, String description, Duration delay, boolean verifyFirst) {
	}

}
