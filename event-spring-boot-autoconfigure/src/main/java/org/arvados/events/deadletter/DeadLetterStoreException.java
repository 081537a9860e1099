package org.arvados.events.deadletter;

/**
 * The dead-letter store could not keep or read what was asked (the database is down, its table is missing): the
 * message says which, and what to do when there is something to do.
 */
public class DeadLetterStoreException extends IllegalStateException {

	public DeadLetterStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
