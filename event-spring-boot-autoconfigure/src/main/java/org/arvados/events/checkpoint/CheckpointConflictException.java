package org.arvados.events.checkpoint;

/**
 * The store holds a position that this instance did not write: another instance follows the stream now (it took
 * the lead while this one was paused or cut off). Its newer position is kept; this instance must stop.
 */
public class CheckpointConflictException extends IllegalStateException {

	public CheckpointConflictException(String message) {
		super(message);
	}

}
