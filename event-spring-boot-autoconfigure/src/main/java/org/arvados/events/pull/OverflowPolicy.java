package org.arvados.events.pull;

/**
 * What a {@link PullListener} does with a selected event when its queue is full. Either way the stream and the
 * other listeners go on at their pace, the listener's {@link PullListener#dropped()} count grows, and the first
 * drop of each episode of being full is logged at WARN.
 */
public enum OverflowPolicy {

	/** Drop the oldest queued event to make room: the reader sees the most recent ones. */
	DROP_OLDEST,

	/** Drop the event that does not fit: the reader sees an unbroken run from where it fell behind. */
	DROP_NEWEST

}
