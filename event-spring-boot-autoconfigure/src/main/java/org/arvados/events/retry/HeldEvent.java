package org.arvados.events.retry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event held because its handler still fails after its retries ({@link WhenExhausted#HOLD}): what health and the
 * {@code arvadosevents} endpoint show. The last error is the exception's type and message made fit for a log line,
 * with anything that looks like an Arvados token cut out.
 *
 * @param eventId the event's id
 * @param handler the handler that fails, e.g. {@code com.example.Archive.copy}
 * @param attempts the calls of that handler with this event so far
 * @param since when the event was held
 * @param lastError the last failure, redacted
 */
public record HeldEvent(long eventId, String handler, int attempts, Instant since, String lastError) {

	/**
	 * As health's details and the endpoint show it.
	 * @return {@code eventId}, {@code handler}, {@code attempts}, {@code since} (ISO-8601), {@code lastError}
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("eventId", this.eventId);
		map.put("handler", this.handler);
		map.put("attempts", this.attempts);
		map.put("since", this.since.toString());
		map.put("lastError", this.lastError);
		return map;
	}

}
