package org.arvados.events.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * token);</li>
 * <li>write ({@code POST /actuator/arvadosevents} with {@code {"action": "release", "eventId": 123}}): the held
 * event's handler is not called again, the {@code EventHandlerErrorHandler} has its last failure, and the event
 * counts as handled.</li>
 * </ul>
 */
@Endpoint(id = "arvadosevents")
public class ArvadosEventsEndpoint {

	private final HeldEvents held;

	public ArvadosEventsEndpoint(HeldEvents held) {
		this.held = held;
	}

	/**
	 * What is held now.
	 * @return {@code held}: the events held, the longest held first
	 */
	@ReadOperation
	public Map<String, Object> events() {
		return Map.of("held", this.held.list().stream().map(ArvadosEventsEndpoint::describe).toList());
	}

	/**
	 * Act on an event.
	 * @param action {@code release}: let a held event go
	 * @param eventId the event
	 * @return {@code action}, {@code eventId} and whether the event was found ({@code done})
	 */
	@WriteOperation
	public Map<String, Object> act(String action, @Nullable Long eventId) {
		if (!"release".equals(action)) {
			throw new IllegalArgumentException("Unknown action '" + action + "': the action is release");
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

	private static Map<String, Object> describe(HeldEvent held) {
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("eventId", held.eventId());
		detail.put("handler", held.handler());
		detail.put("attempts", held.attempts());
		detail.put("since", held.since().toString());
		detail.put("lastError", held.lastError());
		return detail;
	}

	List<HeldEvent> held() {
		return this.held.list();
	}

}
