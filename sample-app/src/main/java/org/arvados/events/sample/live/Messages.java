package org.arvados.events.sample.live;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.sample.live.StreamChanges.Change;
import org.arvados.events.subscription.SubscriptionState;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /stream} sends the live page, one record per kind of message, each written as the JSON of its
 * {@code data} line: the page's side of the protocol in one place. The {@code rates} message is
 * {@link EventRates.Window}.
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
	 * A {@code history} message, the first a page gets: the stream's phase changes since the application started,
	 * so that a page that connects late still sees how the stream got where it is.
	 *
	 * @param changes the last {@value StreamChanges#KEPT} at most, oldest first
	 * @param forgotten how many came before those and are no longer kept
	 */
	record History(List<Step> changes, long forgotten) {

		static History of(StreamChanges.History history) {
			return new History(history.changes().stream().map(Step::of).toList(), history.forgotten());
		}

	}

	/**
	 * One change of phase in a {@code history} message.
	 *
	 * @param number its place since the start, from 1
	 * @param phase the phase entered
	 * @param mode the transport in use or being tried
	 * @param flowing whether events flow in this phase
	 * @param reason why events do not flow, or {@code null}
	 * @param cause why, in words, or {@code null}
	 * @param at when, ISO-8601
	 */
	record Step(long number, String phase, String mode, boolean flowing, @Nullable String reason,
			@Nullable String cause, String at) {

		static Step of(Change change) {
			return new Step(change.number(), change.phase().name(), change.mode().name(), change.phase().isFlowing(),
					(change.reason() != null) ? change.reason().name() : null, change.cause(), change.at().toString());
		}

	}

	/**
	 * A {@code state} message: the stream as it is when the page connects, then at each change of phase.
	 *
	 * @param phase the phase, e.g. {@code LIVE}, {@code POLLING}, {@code BACKING_OFF}
	 * @param mode the transport, {@code WEBSOCKET} or {@code POLLING}
	 * @param flowing whether events flow in this phase
	 * @param reconnects connection attempts after the first, since the start
	 * @param reason why events do not flow, or {@code null}
	 * @param cause why, in words, or {@code null}
	 * @param at when the stream entered the phase (for the first message: when it was read)
	 * @param number the change's number, as in {@link Step}; 0 for the first message, which is no change
	 */
	record State(String phase, String mode, boolean flowing, long reconnects, @Nullable String reason,
			@Nullable String cause, String at, long number) {

		static State of(SubscriptionState state) {
			boolean flowing = state.phase().isFlowing();
			return new State(state.phase().name(), state.mode().name(), flowing, state.counts().reconnects(),
					(state.reason() != null) ? state.reason().name() : null, flowing ? null : state.lastError(),
					Instant.now().toString(), 0);
		}

		static State of(Change change, long reconnects) {
			Step step = Step.of(change);
			return new State(step.phase(), step.mode(), step.flowing(), reconnects, step.reason(), step.cause(),
					step.at(), step.number());
		}

	}

	/**
	 * A {@code lag} message, once a second: how far behind the handlers are, and how long ago the last event
	 * happened.
	 *
	 * @param lag milliseconds since the {@code event_at} of the oldest event not handled yet, as the
	 * {@code arvados.events.lag} meter; 0 when none waits
	 * @param lastEventId the last event handled, or {@code null} before any
	 * @param lastEventAt when it happened on the cluster, ISO-8601, or {@code null}
	 * @param sinceLastEvent milliseconds since then, or {@code null}
	 */
	record Lag(long lag, @Nullable Long lastEventId, @Nullable String lastEventAt, @Nullable Long sinceLastEvent) {

		// A cluster clock ahead of ours is no lag, nor an event from the future.
		static Lag of(@Nullable Instant oldestUnhandled, SubscriptionState state, Instant now) {
			long lag = (oldestUnhandled != null) ? Math.max(0, Duration.between(oldestUnhandled, now).toMillis()) : 0;
			SubscriptionState.LastEvent last = state.lastEvent();
			if (last == null) {
				return new Lag(lag, null, null, null);
			}
			Instant at = last.eventAt();
			return new Lag(lag, last.id(), (at != null) ? at.toString() : null,
					(at != null) ? Math.max(0, Duration.between(at, now).toMillis()) : null);
		}

	}

	/**
	 * The answer to {@code GET /stream/events/{id}}: the event's JSON as the starter received it, which is the
	 * cluster's text, so the page shows it as text. Cut after {@value #LIMIT} characters, so that one click never
	 * makes the server send, nor the browser lay out, the megabytes an event may be.
	 *
	 * @param id the event id
	 * @param json the JSON, whole or cut
	 * @param length the whole JSON's length, in characters
	 * @param truncated whether {@code json} is cut
	 */
	record EventJson(long id, String json, int length, boolean truncated) {

		static final int LIMIT = 256 * 1024;

		static EventJson of(ArvadosEvent event) {
			return of(event, LIMIT);
		}

		static EventJson of(ArvadosEvent event, int limit) {
			String json = event.json();
			if (json.length() <= limit) {
				return new EventJson(event.id(), json, json.length(), false);
			}
			// Never half a surrogate pair: it would not encode.
			int end = Character.isHighSurrogate(json.charAt(limit - 1)) ? limit - 1 : limit;
			return new EventJson(event.id(), json.substring(0, end), json.length(), true);
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
