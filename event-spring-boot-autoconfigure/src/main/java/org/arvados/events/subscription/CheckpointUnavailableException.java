package org.arvados.events.subscription;

/**
 * The checkpoint store cannot be asked for the saved position yet (a database that is down): the stream waits and
 * asks again on the back-off, rather than start from anywhere else.
 */
final class CheckpointUnavailableException extends RuntimeException {

	CheckpointUnavailableException(Throwable cause) {
		super("The checkpoint store cannot be read", cause);
	}

}
