package org.arvados.events.pull;

/**
 * {@link PullListener#take()} was called on a closed listener, or the listener was closed while it waited (by
 * its owner, or because the application is shutting down).
 */
public class PullListenerClosedException extends IllegalStateException {

	/**
	 * @param name the listener's name
	 */
	public PullListenerClosedException(String name) {
		super("The pull listener '" + name + "' is closed");
	}

}
