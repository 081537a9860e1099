package org.arvados.events.subscription;

import java.time.Instant;

import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamRole;
import org.arvados.events.lifecycle.TransportMode;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of an {@link ArvadosEventSubscription}, taken without I/O.
 *
 * @param running whether the subscription is started
 * @param role with a leader election, whether this instance leads or stands by; {@code null} without one
 * @param phase where the stream is in its life
 * @param mode the transport in use or being tried
 * @param connected whether events are flowing: a WebSocket caught up and live, or the last poll succeeded
 * @param notConnectedSince since when events have not been flowing; {@code null} while they flow
 * @param reason why events do not flow, {@code null} while they do; health is DOWN at once for one that
 * {@link DisconnectReason#needsAttention() needs attention} (a rejected token, a wrong endpoint)
 * @param lastError the last failure, for people (never the token), kept after recovery; {@code null} before any
 * @param lastEvent the last event whose handlers returned, {@code null} before the first
 * @param highestId the highest event id accepted
 * @param lowWaterMark the id up to which every event is handled or given up; where a reconnect resumes
 * @param openGaps ids below the highest not seen yet, as ranges
 * @param closedGaps gaps given up since the start (rolled back, not visible to us, or late beyond gaps.timeout)
 * @param queueDepth events waiting for their handlers
 * @param counts running totals
 */
public record SubscriptionState(boolean running, @Nullable StreamRole role, StreamPhase phase, TransportMode mode, boolean connected,
		@Nullable Instant notConnectedSince, @Nullable DisconnectReason reason, @Nullable String lastError,
		@Nullable LastEvent lastEvent, long highestId, long lowWaterMark, int openGaps, long closedGaps,
		int queueDepth, Counts counts) {

	/**
	 * Whether the API rejected the token (401 or 403) and events do not flow.
	 */
	public boolean tokenRejected() {
		return this.reason == DisconnectReason.TOKEN_REJECTED;
	}

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
