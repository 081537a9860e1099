package org.arvados.events.lifecycle;

/**
 * Where the stream is in its life. One thread moves it from phase to phase; each change is published as a
 * {@link StreamPhaseChangedEvent}.
 *
 * <pre>
 * STOPPED → VERIFYING → CONNECTING → SUBSCRIBING → CATCHING_UP → LIVE
 *              │            └──────────────┴─────────────┴──────────┴──→ BACKING_OFF → (VERIFYING | CONNECTING)
 *              └─(polling)→ CATCHING_UP → POLLING ⇄ TRYING_WEBSOCKET ──(caught up)──→ LIVE
 * any running phase ──(pause)──→ PAUSED ──(resume)──→ VERIFYING
 * </pre>
 */
public enum StreamPhase {

	/** Not started, or stopped. */
	STOPPED(false),

	/** Asking the API whether it is an Arvados API server and whether it takes the token. */
	VERIFYING(false),

	/** Opening a WebSocket connection. */
	CONNECTING(false),

	/** Connected; waiting for the server to confirm the subscription. */
	SUBSCRIBING(false),

	/** Reading the logs list up to the newest event; a new WebSocket's live events wait meanwhile. */
	CATCHING_UP(false),

	/** Events arrive over the WebSocket. */
	LIVE(true),

	/** Events arrive by polling the logs list. */
	POLLING(true),

	/** Polling goes on while a WebSocket connection is tried; once it has caught up, the stream switches to it. */
	TRYING_WEBSOCKET(true),

	/** Waiting before the next attempt, after a failure. */
	BACKING_OFF(false),

	/** Stopped by a failure that only a person can fix (the dispatching thread died). */
	FAILED(false),

	/**
	 * Paused by the application: nothing is read, what was queued still reaches the handlers, and the position is
	 * kept for the resume.
	 */
	PAUSED(false);

	private final boolean flowing;

	StreamPhase(boolean flowing) {
		this.flowing = flowing;
	}

	/**
	 * Whether events flow in this phase.
	 */
	public boolean isFlowing() {
		return this.flowing;
	}

}
