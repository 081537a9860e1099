package org.arvados.events.subscription;

import java.time.Instant;

import org.arvados.events.lifecycle.TransportMode;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of an {@link ArvadosEventSubscription}, taken without I/O.
 *
 * @param running whether the subscription is started
 * @param mode the transport in use or being tried
 * @param connected whether events are flowing: a WebSocket caught up and live, or the last poll succeeded
 * @param notConnectedSince since when events have not been flowing; {@code null} while they flow
 * @param tokenRejected whether the API's last answer was 401 or 403
 * @param lastError the last failure, for people (never the token), kept after recovery; {@code null} before any
 * @param lastEvent the last event whose handlers returned, {@code null} before the first
 * @param highestId the highest event id accepted
 * @param lowWaterMark the id up to which every event is handled or given up; where a reconnect resumes
 * @param openGaps ids below the highest not seen yet, as ranges
 * @param closedGaps gaps given up since the start (rolled back, not visible to us, or late beyond gap-timeout)
 * @param queueDepth events waiting for their handlers
 * @param counts running totals
 */
public record SubscriptionState(boolean running, TransportMode mode, boolean connected,
		@Nullable Instant notConnectedSince, boolean tokenRejected, @Nullable String lastError,
		@Nullable LastEvent lastEvent, long highestId, long lowWaterMark, int openGaps, long closedGaps,
		int queueDepth, Counts counts) {

	/**
	 * The last event handled.
	 *
	 * @param id its id
	 * @param eventAt when it happened on the cluster, {@code null} if the server did not say
	 */
	public record LastEvent(long id, @Nullable Instant eventAt) {
	}

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
