package org.arvados.events.checkpoint;

/**
 * A checkpoint is saved but cannot be read (a corrupt file, a value that is not a checkpoint). Waiting will not
 * help and starting over would repeat or skip events: start-up fails, with a message that says where and what.
 * Any other failure of {@link EventCheckpointStore#load()} (a database that is down) is retried.
 */
public class CheckpointUnreadableException extends IllegalStateException {

	public CheckpointUnreadableException(String message) {
		super(message);
	}

	public CheckpointUnreadableException(String message, Throwable cause) {
		super(message, cause);
	}

}
