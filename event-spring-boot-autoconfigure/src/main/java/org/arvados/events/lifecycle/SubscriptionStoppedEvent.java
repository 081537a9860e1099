package org.arvados.events.lifecycle;

/**
 * The subscription stopped and the events it had queued reached their handlers (or the shutdown gave up
 * waiting). Published once per stop.
 */
public class SubscriptionStoppedEvent extends ArvadosStreamEvent {

	private final long resumeAfter;

	/**
	 * @param source the subscription
	 * @param resumeAfter the id up to which every event is handled: where the next start resumes
	 */
	public SubscriptionStoppedEvent(Object source, long resumeAfter) {
		super(source);
		this.resumeAfter = resumeAfter;
	}

	public long getResumeAfter() {
		return this.resumeAfter;
	}

	@Override
	public String toString() {
		return "SubscriptionStoppedEvent[resumeAfter=" + this.resumeAfter + "]";
	}

}
