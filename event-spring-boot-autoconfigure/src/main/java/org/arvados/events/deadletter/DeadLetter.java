package org.arvados.events.deadletter;

import java.time.Instant;

import org.arvados.events.LogSafe;
import org.jspecify.annotations.Nullable;

/**
 * An event set aside after its handler failed for good.
 *
 * @param id the dead letter's id in its store
 * @param eventId the event's id ({@code ArvadosEvent.id()}), its position in the stream
 * @param eventJson the event exactly as it was received ({@code ArvadosEvent.json()})
 * @param handler the handler that failed
 * @param exceptionType the class name of the last failure, e.g. {@code java.net.ConnectException}
 * @param message the last failure's message, without the API token; {@code null} when it had none
 * @param attempts how many times the handler was called for the event
 * @param createdAt when the event was set aside
 */
public record DeadLetter(long id, long eventId, String eventJson, String handler, String exceptionType,
		@Nullable String message, int attempts, Instant createdAt) {

	// The JSON can be megabytes: keep it out; the message is masked again, in case it was not kept by a store that
	// redacts, and kept on one line.
	@Override
	public String toString() {
		return "DeadLetter[id=" + this.id + ", eventId=" + this.eventId + ", handler=" + LogSafe.forLog(this.handler)
				+ ", exceptionType=" + LogSafe.forLog(this.exceptionType) + ", message="
				+ LogSafe.forLog(DeadLetterRedactor.ANY_TOKEN.redact(this.message)) + ", attempts=" + this.attempts
				+ ", createdAt=" + this.createdAt + "]";
	}

}
