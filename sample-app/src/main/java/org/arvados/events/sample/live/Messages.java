package org.arvados.events.sample.live;

import java.time.Instant;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.sample.live.StreamChanges.Change;
import org.arvados.events.subscription.SubscriptionState;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /stream} sends the live page, one record per kind of message, each written as the JSON of its
 * {@code data} line: the page's side of the protocol in one place.
 */
final class Messages {

	private Messages() {
	}

	/**
	 * An {@code arvados} message: the columns of the page's table.
	 *
	 * @param id the event id
	 * @param type its event type
	 * @param kind the object's kind
	 * @param objectUuid the object's UUID
	 * @param at when it happened, ISO-8601, or {@code null} if the server did not say
	 */
	record Row(long id, String type, String kind, String objectUuid, @Nullable String at) {

		static Row of(ArvadosEvent event) {
			return new Row(event.id(), event.eventType(), event.objectKind(), event.objectUuid(),
					(event.eventAt() != null) ? event.eventAt().toString() : null);
		}

	}

	/**
	 * A {@code state} message.
	 *
	 * @param phase the phase, e.g. {@code LIVE}, {@code POLLING}, {@code BACKING_OFF}
	 * @param mode the transport, {@code WEBSOCKET} or {@code POLLING}
	 * @param flowing whether events flow in this phase
	 * @param reconnects connection attempts after the first, since the start
	 * @param reason why events do not flow, or {@code null}
	 * @param cause why, in words, or {@code null}
	 * @param at when the stream entered the phase (for the first message: when it was read)
	 */
	record State(String phase, String mode, boolean flowing, long reconnects, @Nullable String reason,
			@Nullable String cause, String at) {

		static State of(SubscriptionState state) {
			boolean flowing = state.phase().isFlowing();
			return new State(state.phase().name(), state.mode().name(), flowing, state.counts().reconnects(),
					(state.reason() != null) ? state.reason().name() : null, flowing ? null : state.lastError(),
					Instant.now().toString());
		}

		static State of(Change change, long reconnects) {
			return new State(change.phase().name(), change.mode().name(), change.phase().isFlowing(), reconnects,
					(change.reason() != null) ? change.reason().name() : null, change.cause(), change.at().toString());
		}

	}

	/**
	 * A {@code dropped} message.
	 *
	 * @param dropped how many events this browser missed because it fell behind, since it connected
	 */
	record Dropped(long dropped) {
	}

}
