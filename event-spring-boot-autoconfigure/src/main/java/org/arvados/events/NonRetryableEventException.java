package org.arvados.events;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by an {@code @EventHandler} for a failure that no retry can mend (an event it can never handle, a record
 * that no longer exists): the handler is not called again for that event, which goes at once to what
 * {@code arvados.events.handler-retry.exhausted} says, as when its retries are spent. Found as the exception thrown
 * or anywhere among its causes.
 */
public class NonRetryableEventException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message why, for people
	 */
	public NonRetryableEventException(String message) {
		super(message);
	}

	/**
	 * @param message why, for people
	 * @param cause the failure
	 */
	public NonRetryableEventException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
