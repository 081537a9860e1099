package org.arvados.events.test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;

import org.arvados.events.test.api.ApiServer;
import org.arvados.events.test.store.LogStore;
import org.arvados.events.test.store.Uuids;
import org.arvados.events.test.websocket.WebSocketEndpoint;
import org.arvados.events.test.websocket.WebSocketSettings;
import org.jspecify.annotations.Nullable;

/**
 * An in-process fake Arvados cluster on loopback: an arvados-ws WebSocket server and an API server
 * (discovery document, logs list) sharing one {@code logs} table, with switches to reproduce the
 * failures a client meets in production.
 *
 * <p>The WebSocket side follows arvados-ws exactly where clients can tell: status and event frame
 * bytes, the filter subset it applies, replay after {@code last_log_id}, per-connection queue
 * overflow and keepalives. The token is not checked on the WebSocket, as on a real cluster; the
 * list endpoint checks it.
 *
 * <pre class="code">
 * try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
 *     LogEntry entry = cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
 * }
 * </pre>
 */
public final class FakeArvadosCluster implements AutoCloseable {

	private final LogStore store;

	private final WebSocketEndpoint websocket;

	private final ApiServer api;

	private final String token;

	private final AtomicBoolean closed = new AtomicBoolean();

	private FakeArvadosCluster(Builder builder) {
		this.token = builder.token;
		this.store = new LogStore(builder.firstId);
		this.websocket = WebSocketEndpoint.start(this.store,
				new WebSocketSettings(builder.clientQueueCapacity, builder.keepaliveInterval, builder.replayWindow),
				builder.tls);
		this.websocket.acceptOnlyToken(this.token);
		try {
			this.api = ApiServer.start(this.store, this.token, builder.advertiseWebsocket ? this.websocket.url() : "",
					builder.tls, builder.maxItemsPerResponse);
		}
		catch (RuntimeException ex) {
			this.websocket.close();
			throw ex;
		}
	}

	/** Starts a cluster with the defaults of {@link #builder()}. */
	public static FakeArvadosCluster start() {
		return builder().start();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** A fresh Arvados identifier {@code zzzzz-<infix>-<15 random [a-z0-9]>}, e.g. infix {@code 4zz18}. */
	public static String uuid(String infix) {
		return Uuids.random(infix);
	}

	/** The API base URL, {@code http://127.0.0.1:PORT} ({@code https} with TLS). */
	public String endpoint() {
		return this.api.endpoint();
	}

	/** The WebSocket URL, {@code ws://127.0.0.1:PORT/websocket}, even when discovery does not advertise it. */
	public String websocketUrl() {
		return this.websocket.url();
	}

	public String token() {
		return this.token;
	}

	/** Allocates an id and commits at once; the object is owned by the fixtures' active user. */
	public LogEntry emit(String eventType, String objectUuid, Map<String, Object> properties) {
		return begin(eventType, objectUuid, properties).commit();
	}

	/** Allocates an id and commits at once. */
	public LogEntry emit(String eventType, String objectUuid, String objectOwnerUuid, Map<String, Object> properties) {
		return begin(eventType, objectUuid, objectOwnerUuid, properties).commit();
	}

	/**
	 * Allocates an id and commits at once a row created at a given time, e.g. hours ago, as a cluster that has been
	 * running for a while has: the {@code created_at} that the list's filters and the replay window read. Its id is
	 * still the next one.
	 */
	public LogEntry emitAt(Instant createdAt, String eventType, String objectUuid, Map<String, Object> properties) {
		return this.store.begin(createdAt.truncatedTo(ChronoUnit.MICROS), eventType, objectUuid, Uuids.DEFAULT_OWNER,
				properties).commit();
	}

	/** Allocates an id now, like a sequence value taken inside an open transaction. */
	public Transaction begin(String eventType, String objectUuid, Map<String, Object> properties) {
		return begin(eventType, objectUuid, Uuids.DEFAULT_OWNER, properties);
	}

	/** Allocates an id now, like a sequence value taken inside an open transaction. */
	public Transaction begin(String eventType, String objectUuid, String objectOwnerUuid,
			Map<String, Object> properties) {
		return this.store.begin(eventType, objectUuid, objectOwnerUuid, properties);
	}

	/** Queues an arbitrary text frame (garbage, malformed JSON, a huge frame) on every open connection. */
	public void sendRaw(String frame) {
		this.websocket.sendRaw(frame);
	}

	/** Closes every socket without a close frame: the client sees an abnormal close (1006). */
	public void dropConnections() {
		this.websocket.dropConnections();
	}

	/** Closes every socket with close code 1000, the only code arvados-ws sends. */
	public void closeConnections() {
		this.websocket.closeConnections();
	}

	/**
	 * While true, writes nothing at all to any connection, old or new (no events, replies or
	 * keepalives): a half-open socket as the client sees it. A connection that went silent stays
	 * silent for good, as a half-open socket does; connections opened after {@code setSilent(false)}
	 * work again. Commits are still stored and can be replayed or listed later.
	 */
	public void setSilent(boolean silent) {
		this.websocket.setSilent(silent);
	}

	/** While true, WebSocket handshakes are answered with HTTP 503. */
	public void setRefuseConnections(boolean refuse) {
		this.websocket.setRefuseConnections(refuse);
	}

	/**
	 * From now on the list endpoint answers 401, and the WebSocket, like the real one, keeps every connection
	 * open and answering but sends no event: each fails its permission check and is dropped without a word.
	 */
	public void revokeToken() {
		this.api.revokeToken();
		this.websocket.setTokenRevoked(true);
	}

	/** The token works again; what was dropped meanwhile is in the list, not replayed by anyone. */
	public void restoreToken() {
		this.api.restoreToken();
		this.websocket.setTokenRevoked(false);
	}

	/**
	 * Heal every fault injected ({@link #setSilent silence}, {@link #setRefuseConnections refused handshakes}, a
	 * {@link #revokeToken revoked token}, {@link #failListRequests failing} or {@link #delayListRequests slow} list
	 * requests) and forget what was recorded ({@link #listRequests()}, {@link #clientMessages()},
	 * {@link #tokensSeen()}; the counts go on). The log stays, and its ids go on growing: a client that follows
	 * the cluster sees nothing of the reset, but for a connection that went silent: that one is dropped (without a
	 * close frame), since it would write nothing more, and the client connects again. For tests that share a
	 * cluster (a cached Spring test context): call it in {@code @BeforeEach} so that one test's faults do not leak
	 * into the next.
	 */
	public void reset() {
		this.websocket.endSilence();
		this.websocket.setRefuseConnections(false);
		this.websocket.setTokenRevoked(false);
		this.websocket.forgetRecords();
		this.api.reset();
	}

	/** The next {@code count} list requests answer {@code status} with an Arvados error body. */
	public void failListRequests(int count, int status) {
		this.api.failListRequests(count, status);
	}

	/** From now on every list request takes at least this long to answer: a slow or loaded API server. */
	public void delayListRequests(Duration delay) {
		this.api.delayListRequests(delay.toMillis());
	}

	/**
	 * The query parameters of every request to the logs list so far (failed ones included), in order: what a
	 * polling client asked for.
	 */
	public List<Map<String, String>> listRequests() {
		return this.api.listRequests();
	}

	public int openConnections() {
		return this.websocket.openConnections();
	}

	/** Handshakes accepted so far (refused ones excluded). */
	public int connectionsAccepted() {
		return this.websocket.connectionsAccepted();
	}

	/** Connections closed because a live event found their queue full. */
	public int overflowCloses() {
		return this.websocket.overflowCloses();
	}

	/** Every text frame received from clients, in order. */
	public List<String> clientMessages() {
		return this.websocket.clientMessages();
	}

	/** The {@code api_token} of every accepted handshake, in order ({@code ""} when absent). */
	public List<String> tokensSeen() {
		return this.websocket.tokensSeen();
	}

	/**
	 * What each recent WebSocket connection did, step by step with times: every frame received and handled, every
	 * reply, event and keepalive queued, handed to Java-WebSocket and written to the socket, and the close. Kept
	 * after {@link #close()}; for the report of a test that timed out waiting for a frame.
	 */
	public String describeConnections() {
		return "Connections of " + this + ":\n" + this.websocket.describeConnections();
	}

	/** How many times a client asked {@code GET /arvados/v1/users/current}, to check its token. */
	public int currentUserRequests() {
		return this.api.currentUserRequests();
	}

	/** Committed rows in commit order. */
	public List<LogEntry> log() {
		return this.store.inCommitOrder();
	}

	/**
	 * Stops both servers (again: nothing); open sockets are dropped without a close frame, as when
	 * arvados-ws stops.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			this.api.close();
		}
		finally {
			this.websocket.close();
		}
	}

	@Override
	public String toString() {
		return "FakeArvadosCluster[" + endpoint() + ", " + websocketUrl() + "]";
	}

	/** Settings of a {@link FakeArvadosCluster}; every one has a default. */
	public static final class Builder {

		private Duration replayWindow = Duration.ofMinutes(10);

		private int clientQueueCapacity = 64;

		private Duration keepaliveInterval = Duration.ofSeconds(60);

		private String token = "fake-token-" + Uuids.random("gj3su").substring(12);

		private @Nullable SSLContext tls;

		private boolean advertiseWebsocket = true;

		private long firstId = 1;

		private int maxItemsPerResponse = 1000;

		private Builder() {
		}

		/** How old a row may be and still be replayed after {@code last_log_id} (default 10 minutes). */
		public Builder replayWindow(Duration replayWindow) {
			this.replayWindow = Objects.requireNonNull(replayWindow, "replayWindow");
			return this;
		}

		/** Frames a connection may have waiting before a live event closes it (default 64). */
		public Builder clientQueueCapacity(int clientQueueCapacity) {
			this.clientQueueCapacity = clientQueueCapacity;
			return this;
		}

		/** Keepalive period and write deadline, arvados-ws' {@code SendTimeout} (default 60 s). */
		public Builder keepaliveInterval(Duration keepaliveInterval) {
			this.keepaliveInterval = Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
			return this;
		}

		/** The token the list endpoint accepts (default {@code fake-token-} and random characters). */
		public Builder token(String token) {
			this.token = Objects.requireNonNull(token, "token");
			return this;
		}

		/** Serves {@code https://} and {@code wss://} with this context's key. */
		public Builder tls(SSLContext tls) {
			this.tls = Objects.requireNonNull(tls, "tls");
			return this;
		}

		/** Whether discovery advertises the WebSocket URL; {@code ""} otherwise (default true). */
		public Builder advertiseWebsocket(boolean advertiseWebsocket) {
			this.advertiseWebsocket = advertiseWebsocket;
			return this;
		}

		/** The first log id the sequence hands out (default 1). */
		public Builder firstId(long firstId) {
			this.firstId = firstId;
			return this;
		}

		/**
		 * The cluster's {@code API.MaxItemsPerResponse} (default 1000): the list caps {@code limit} at it and says
		 * the limit it applied in the envelope's {@code limit}; discovery advertises it as
		 * {@code maxItemsPerResponse}.
		 */
		public Builder maxItemsPerResponse(int maxItemsPerResponse) {
			if (maxItemsPerResponse < 1) {
				throw new IllegalArgumentException("maxItemsPerResponse must be positive: " + maxItemsPerResponse);
			}
			this.maxItemsPerResponse = maxItemsPerResponse;
			return this;
		}

		public FakeArvadosCluster start() {
			return new FakeArvadosCluster(this);
		}

	}

}
