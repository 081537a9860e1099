package org.arvados.events.dispatch;

/**
 * How events reach the handlers.
 */
public enum DispatchMode {

	/**
	 * Through a bounded queue to one dispatching thread: the socket reader never runs a handler and goes on
	 * reading while one runs.
	 */
	QUEUED,

	/**
	 * An event received over WebSocket while nothing is queued or being handled is handled on the socket reader's
	 * thread, without a hand-off; the others go through the queue. The lowest latency, but reading pauses while a
	 * handler runs. Events still reach the handlers one at a time and in order.
	 */
	DIRECT

}
