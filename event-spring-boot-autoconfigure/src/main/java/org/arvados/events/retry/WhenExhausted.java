package org.arvados.events.retry;

/**
 * What becomes of an event whose handler still fails when its retries are spent (or threw a failure that is not
 * retryable): {@code arvados.events.handler-retry.exhausted}.
 */
public enum WhenExhausted {

	/** The {@code EventHandlerErrorHandler} has the failure, and the event counts as handled. */
	SKIP,

	/**
	 * The event is never given up: the handler is called again every {@code max-delay} until it succeeds, or until
	 * an operator lets the event go ({@link HeldEvents#release}), or a stop. The position stays on it meanwhile.
	 */
	HOLD,

	/** The event is set aside in the dead-letter store, and counts as handled. */
	DEAD_LETTER

}
