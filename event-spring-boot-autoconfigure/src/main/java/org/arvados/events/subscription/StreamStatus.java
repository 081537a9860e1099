package org.arvados.events.subscription;

import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.lifecycle.ArvadosStreamEvent;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamConnectedEvent;
import org.arvados.events.lifecycle.StreamDisconnectedEvent;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.StreamPhaseChangedEvent;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.lifecycle.TransportSwitchedEvent;
import org.arvados.events.transport.SecretRedactor;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * What health reads about the stream (its phase, since when events do not flow, the last failure and its
 * reason) and the one place that publishes the stream's lifecycle events, so that a listener that throws cannot
 * stop the stream. Written by the machine's thread only; read from any.
 */
final class StreamStatus {

	private static final Log logger = LogFactory.getLog(StreamStatus.class);

	private volatile Object source;

	private final ApplicationEventPublisher publisher;

	private final SecretRedactor redactor;

	private final Clock clock;

	private volatile StreamPhase phase = StreamPhase.STOPPED;

	private volatile TransportMode mode;

	private volatile @Nullable Instant notFlowingSince;

	private volatile @Nullable String lastError;

	private volatile @Nullable DisconnectReason reason;

	StreamStatus(ApplicationEventPublisher publisher, SecretRedactor redactor, TransportMode mode, Clock clock) {
		this.source = this;
		this.publisher = publisher;
		this.redactor = redactor;
		this.mode = mode;
		this.clock = clock;
		this.notFlowingSince = clock.instant();
	}

	/**
	 * The machine moved to another phase: remember it and publish one event.
	 * @param from the phase before
	 * @param to the phase now
	 * @param mode the transport in use or being tried
	 * @param failure why, when the change is a failure
	 * @param cause the failure for people, without the token
	 */
	void changed(StreamPhase from, StreamPhase to, TransportMode mode, @Nullable DisconnectReason failure,
			@Nullable String cause) {
		this.phase = to;
		this.mode = mode;
		if (cause != null) {
			this.lastError = cause;
		}
		if (to.isFlowing() && !from.isFlowing()) {
			this.notFlowingSince = null;
			this.reason = null;
			publish(new StreamConnectedEvent(this.source, from, to, mode));
			return;
		}
		if (!to.isFlowing() && from.isFlowing()) {
			this.notFlowingSince = this.clock.instant();
		}
		if (failure != null && (from.isFlowing() || failure != this.reason)) {
			this.reason = failure;
			publish(new StreamDisconnectedEvent(this.source, from, to, mode, failure,
					(cause != null) ? cause : failure.name()));
			return;
		}
		publish(new StreamPhaseChangedEvent(this.source, from, to, mode));
	}

	/**
	 * The API answered as an Arvados API server that takes the token: a reason that needed attention is gone.
	 * @return whether there was one (a rejected token, a wrong endpoint)
	 */
	boolean verified() {
		DisconnectReason before = this.reason;
		if (before != null && before.needsAttention()) {
			this.reason = null;
			return true;
		}
		return false;
	}

	/**
	 * What the events name as their source: the subscription, which is built after its status.
	 * @param source the subscription
	 */
	void source(Object source) {
		this.source = source;
	}

	/** What the events name as their source. */
	Object source() {
		return this.source;
	}

	/** Started: nothing flows yet. */
	void starting(TransportMode mode) {
		this.mode = mode;
		this.reason = null;
		this.notFlowingSince = this.clock.instant();
	}

	StreamPhase phase() {
		return this.phase;
	}

	TransportMode mode() {
		return this.mode;
	}

	/** Whether the machine runs: neither stopped nor failed. */
	boolean isRunning() {
		StreamPhase now = this.phase;
		return now != StreamPhase.STOPPED && now != StreamPhase.FAILED;
	}

	boolean isFlowing() {
		return this.phase.isFlowing();
	}

	@Nullable Instant notFlowingSince() {
		return this.notFlowingSince;
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	/** Why events do not flow; {@code null} while they flow or before any failure. */
	@Nullable DisconnectReason reason() {
		return this.reason;
	}

	/** The stream changed transport. */
	void switched(TransportMode from, TransportMode to, String reason) {
		this.mode = to;
		publish(new TransportSwitchedEvent(this.source, from, to, reason));
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
