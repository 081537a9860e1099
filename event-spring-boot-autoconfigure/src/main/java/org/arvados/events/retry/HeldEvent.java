package org.arvados.events.retry;

import java.time.Instant;

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

}
