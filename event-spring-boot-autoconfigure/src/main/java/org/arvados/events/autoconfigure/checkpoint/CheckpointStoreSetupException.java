package org.arvados.events.autoconfigure.checkpoint;

/**
 * The configured checkpoint store cannot be set up: what is wrong, and what to do about it.
 */
public class CheckpointStoreSetupException extends IllegalStateException {

	private final String action;

	/**
	 * @param description what is wrong
	 * @param action what to do about it
	 * @param cause the failure underneath, if any
	 */
	public CheckpointStoreSetupException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/**
	 * @param description what is wrong
	 * @param action what to do about it
	 */
	public CheckpointStoreSetupException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * What to do about it.
	 * @return the advice
	 */
	public String getAction() {
		return this.action;
	}

}
