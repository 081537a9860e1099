package org.arvados.events.lifecycle;

import org.arvados.events.retry.HeldEvent;

/**
 * An event is held: its handler still fails after its retries, and {@code arvados.events.handler-retry.exhausted}
 * is {@code hold}. The handler is called again every {@code max-delay} until it succeeds or the event is released;
 * the position stays on it meanwhile.
 */
public class EventHeldEvent extends ArvadosStreamEvent {

	private final HeldEvent held;

	/**
	 * @param source the held events
	 * @param held what is held, by which handler, since when, and why
	 */
	public EventHeldEvent(Object source, HeldEvent held) {
		super(source);
		this.held = held;
	}

	public HeldEvent getHeld() {
		return this.held;
	}

}
