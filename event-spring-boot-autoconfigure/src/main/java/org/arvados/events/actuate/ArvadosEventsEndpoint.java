package org.arvados.events.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.arvados.events.deadletter.DeadLetters;
import org.arvados.events.retry.HeldEvent;
import org.arvados.events.retry.HeldEvents;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code arvadosevents} endpoint: what the handler retries hold, and a way to let a held event go. Like every
 * actuator endpoint it is not exposed over the web until the application exposes it
 * ({@code management.endpoints.web.exposure.include}); its write operation changes what the stream does, so expose
 * it only behind the access control the application's other write operations have.
 * <ul>
 * <li>read ({@code GET /actuator/arvadosevents}): {@code held}, each event held by
 * {@code handler-retry.exhausted: hold} with its handler, attempts, since when and last error (never the
 * token), and {@code deadLetters}, how many are kept (with {@code handler-retry.exhausted: dead-letter});</li>
 * <li>write ({@code POST /actuator/arvadosevents} with {@code {"action": "release", "eventId": 123}}): the held
 * event's handler is not called again, the {@code EventHandlerErrorHandler} has its last failure, and the event
 * counts as handled;</li>
 * <li>write with {@code {"action": "replay"}} (and optionally {@code "handler"} and {@code "max"}): the dead letters
 * are handed to their handler again, oldest first, and those it handled are removed.</li>
 * </ul>
 */
@Endpoint(id = "arvadosevents")
public class ArvadosEventsEndpoint {

	private final HeldEvents held;

	private final @Nullable DeadLetters deadLetters;

	public ArvadosEventsEndpoint(HeldEvents held) {
		this(held, null);
	}

	/**
	 * @param held the events held
	 * @param deadLetters the dead letters, with {@code handler-retry.exhausted: dead-letter}
	 */
	public ArvadosEventsEndpoint(HeldEvents held, @Nullable DeadLetters deadLetters) {
		this.held = held;
		this.deadLetters = deadLetters;
	}

	/**
	 * What is held now.
	 * @return {@code held}: the events held, the longest held first
	 */
	@ReadOperation
	public Map<String, Object> events() {
		Map<String, Object> events = new LinkedHashMap<>();
		events.put("held", this.held.list().stream().map(HeldEvent::toMap).toList());
		if (this.deadLetters != null) {
			events.put("deadLetters", this.deadLetters.count());
		}
		return events;
	}

	/**
	 * Act on an event.
	 * @param action {@code release}: let a held event go
	 * @param eventId the event
	 * @return {@code action}, {@code eventId} and whether the event was found ({@code done})
	 */
	public Map<String, Object> act(String action, @Nullable Long eventId) {
		return act(action, eventId, null, null);
	}

	/**
	 * Act on an event, or on the dead letters.
	 * @param action {@code release}: let a held event go; {@code replay}: hand dead letters to their handler again,
	 * oldest first, and remove those it handled
	 * @param eventId the held event to release
	 * @param handler with {@code replay}, only that handler's letters (all by default)
	 * @param max with {@code replay}, how many at most (100 by default)
	 * @return what was done
	 */
	@WriteOperation
	public Map<String, Object> act(String action, @Nullable Long eventId, @Nullable String handler,
			@Nullable Integer max) {
		if ("replay".equals(action)) {
			if (this.deadLetters == null) {
				throw new IllegalArgumentException("There are no dead letters: handler-retry.exhausted is not dead-letter");
			}
			DeadLetters.Replay replay = this.deadLetters.replay(handler, (max != null) ? max : 100);
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("action", action);
			result.put("handled", replay.handled());
			result.put("failed", replay.failed());
			result.put("unknownHandler", replay.unknown());
			return result;
		}
		if (!"release".equals(action)) {
			throw new IllegalArgumentException("Unknown action '" + action + "': the actions are release and replay");
		}
		if (eventId == null) {
			throw new IllegalArgumentException("release needs the eventId of a held event");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("action", action);
		result.put("eventId", eventId);
		result.put("done", this.held.release(eventId));
		return result;
	}


}
