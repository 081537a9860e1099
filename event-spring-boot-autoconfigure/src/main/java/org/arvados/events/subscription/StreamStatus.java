package org.arvados.events.subscription;

import java.net.URI;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.lifecycle.ArvadosStreamEvent;
import org.arvados.events.lifecycle.StreamConnectedEvent;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.transport.SecretRedactor;
import org.arvados.events.transport.TokenRejectedException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Whether events flow, since when they do not, and the last failure: what health reads. Says each change of
 * flow once, as a {@link StreamConnectedEvent} or {@link StreamDisconnectedEvent}, and publishes the
 * subscription's other facts, so that a listener that throws cannot stop the stream.
 */
final class StreamStatus {

	private static final Log logger = LogFactory.getLog(StreamStatus.class);

	private final Object source;

	private final ApplicationEventPublisher publisher;

	private final URI endpoint;

	private final SecretRedactor redactor;

	private volatile boolean flowing;

	private volatile @Nullable Instant notFlowingSince = Instant.now();

	private volatile @Nullable String lastError;

	private volatile boolean tokenRejected;

	StreamStatus(Object source, ApplicationEventPublisher publisher, URI endpoint, SecretRedactor redactor) {
		this.source = source;
		this.publisher = publisher;
		this.endpoint = endpoint;
		this.redactor = redactor;
	}

	/**
	 * Events flow, or stop flowing; published only when that changes.
	 * @param now whether they flow
	 * @param mode the transport
	 * @param cause why they stopped, for people
	 */
	void flowing(boolean now, TransportMode mode, @Nullable String cause) {
		if (this.flowing == now) {
			return;
		}
		this.flowing = now;
		this.notFlowingSince = now ? null : Instant.now();
		publish(now ? new StreamConnectedEvent(this.source, mode)
				: new StreamDisconnectedEvent(this.source, mode, (cause != null) ? cause : "unknown"));
	}

	/** Started or stopped: nothing flows yet, or any more; not an event of its own. */
	void reset() {
		this.flowing = false;
		this.notFlowingSince = Instant.now();
	}

	boolean isFlowing() {
		return this.flowing;
	}

	@Nullable Instant notFlowingSince() {
		return this.notFlowingSince;
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	boolean isTokenRejected() {
		return this.tokenRejected;
	}

	void failed(String error) {
		this.lastError = error;
	}

	/** The list answered: the token works. */
	void listAnswered() {
		this.tokenRejected = false;
	}

	/**
	 * The list failed: remember what and whether it was the token.
	 * @param failure what it threw
	 * @param action what was being done, e.g. "poll"
	 * @return the message, for a log line, without the token
	 */
	String listFailed(RuntimeException failure, String action) {
		boolean rejected = failure instanceof TokenRejectedException;
		String error = rejected ? "Cannot " + action + ": " + failure.getMessage()
				: "Cannot " + action + " through the logs list of " + this.endpoint + " ("
						+ this.redactor.describe(failure) + ")";
		this.tokenRejected = rejected;
		this.lastError = error;
		return error;
	}

	void publish(ArvadosStreamEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of " + event.getClass().getSimpleName() + " failed: " + this.redactor.describe(ex));
		}
	}

}
