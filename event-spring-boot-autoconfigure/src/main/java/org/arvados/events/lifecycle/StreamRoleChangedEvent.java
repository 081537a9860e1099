package org.arvados.events.lifecycle;

/**
 * A leader election gave this instance the lead (it starts following the stream from the saved position) or took
 * it away (it stopped, drained and saved, and stands by).
 */
public class StreamRoleChangedEvent extends ArvadosStreamEvent {

	private final StreamRole role;

	/**
	 * @param source the subscription
	 * @param role the role now
	 */
	public StreamRoleChangedEvent(Object source, StreamRole role) {
		super(source);
		this.role = role;
	}

	public StreamRole getRole() {
		return this.role;
	}

	@Override
	public String toString() {
		return "StreamRoleChangedEvent[" + this.role + "]";
	}

}
