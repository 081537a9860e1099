package org.arvados.events.checkpoint;

/**
 * The store could not be read or written just now (the database is down, the disk is full). Nothing is known to be
 * wrong with what it holds, so trying again later may work; unlike a checkpoint that is saved but unusable, which
 * no retry mends.
 */
public class CheckpointStoreUnavailableException extends IllegalStateException {

	public CheckpointStoreUnavailableException(String message) {
		super(message);
	}

	public CheckpointStoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
