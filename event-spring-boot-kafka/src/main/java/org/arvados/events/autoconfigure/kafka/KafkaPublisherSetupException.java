package org.arvados.events.autoconfigure.kafka;

import org.jspecify.annotations.Nullable;

/**
 * The events cannot be published with the application's Kafka setup: what is wrong, and what to do about it.
 */
public class KafkaPublisherSetupException extends IllegalStateException {

	private final String action;

	/**
	 * @param description what is wrong
	 * @param action what to do about it
	 * @param cause the failure underneath, if any
	 */
	public KafkaPublisherSetupException(String description, String action, @Nullable Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/**
	 * @param description what is wrong
	 * @param action what to do about it
	 */
	public KafkaPublisherSetupException(String description, String action) {
		this(description, action, null);
	}

	/**
	 * What to do about it.
	 * @return the advice
	 */
	public String getAction() {
		return this.action;
	}

}
