package org.arvados.events.subscription;

import org.arvados.events.lifecycle.TransportMode;

/**
 * A snapshot of an {@link ArvadosEventSubscription}, taken without I/O.
 *
 * @param running whether the subscription is started
 * @param mode the transport in use or being tried
 * @param connected whether events are flowing: a WebSocket caught up and live, or the last poll succeeded
 * @param highestId the highest event id accepted
 * @param lowWaterMark the id up to which every event is handled or given up; where a reconnect resumes
 * @param openGaps ids below the highest not seen yet, as ranges
 * @param closedGaps gaps given up since the start (rolled back, not visible to us, or late beyond gap-timeout)
 * @param queueDepth events waiting for their handlers
 * @param counts running totals
 */
public record SubscriptionState(boolean running, TransportMode mode, boolean connected, long highestId,
		long lowWaterMark, int openGaps, long closedGaps, int queueDepth, Counts counts) {

	/**
	 * Running totals since the start.
	 *
	 * @param received events received
	 * @param handled events whose handlers returned
	 * @param duplicates events dropped because their id was already accepted
	 * @param malformed messages that could not be decoded
	 * @param reconnects connection attempts after the first
	 * @param transportSwitches changes between WebSocket and polling
	 */
	public record Counts(long received, long handled, long duplicates, long malformed, long reconnects,
			long transportSwitches) {
	}

}
