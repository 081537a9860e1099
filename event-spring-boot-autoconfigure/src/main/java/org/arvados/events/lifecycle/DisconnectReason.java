package org.arvados.events.lifecycle;

/**
 * Why events do not flow, as a {@link StreamDisconnectedEvent} and health's {@code reason} say.
 */
public enum DisconnectReason {

	/** The WebSocket could not be opened: connection refused, unknown host, TLS, handshake. */
	CONNECT_FAILED(false),

	/** The WebSocket closed or broke. */
	CLOSED(false),

	/** No message, not even a keepalive, for {@code websocket.heartbeat-timeout}: a dead or half-open connection. */
	SILENT(false),

	/** The cluster has no usable WebSocket: none advertised, or one the token must not travel to. */
	NO_WEBSOCKET(false),

	/** The event server answered the subscription with an error status (its filters are too long for it). */
	SUBSCRIPTION_REJECTED(false),

	/** The logs list could not be read: a 5xx, a time-out, a refused connection. */
	LIST_FAILED(false),

	/** The API answered 401 or 403: the token is wrong, expired or revoked. */
	TOKEN_REJECTED(true),

	/** The endpoint answers, but not as an Arvados API server: a wrong endpoint. */
	NOT_AN_ARVADOS_API(true),

	/** The checkpoint store cannot be read yet (a database that is down): the stream waits for the saved position. */
	CHECKPOINT_UNAVAILABLE(false),

	/**
	 * A task of the stream's own thread failed in a way none expected: an {@link Error} such as an
	 * {@link OutOfMemoryError}, or a bug. Said at ERROR; the stream starts again after a back-off.
	 */
	INTERNAL_FAILURE(false),

	/** The thread that hands events to the handlers died. */
	DISPATCHER_FAILED(true),

	/**
	 * The checkpoint store holds a newer position that another instance saved: this one lost the lead (or two
	 * instances share a checkpoint key without leader election), and stops rather than handle events twice.
	 */
	CHECKPOINT_CONFLICT(true);

	private final boolean needsAttention;

	DisconnectReason(boolean needsAttention) {
		this.needsAttention = needsAttention;
	}

	/**
	 * Whether waiting will not help: a person must change the configuration or the cluster. Health is DOWN at
	 * once for such a reason.
	 */
	public boolean needsAttention() {
		return this.needsAttention;
	}

}
