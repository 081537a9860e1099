package org.arvados.events.test.websocket;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.arvados.events.test.LogEntry;
import org.arvados.events.test.format.QueryString;
import org.arvados.events.test.store.LogStore;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.jspecify.annotations.Nullable;

/**
 * The fake arvados-ws service: a WebSocket server on loopback that streams the store's commits to
 * subscribed connections, plus the switches tests use to misbehave like a real deployment.
 */
public final class WebSocketEndpoint implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private final ArvadosWebSocketServer server;

	private final ScheduledExecutorService scheduler;

	private final AtomicBoolean silent = new AtomicBoolean();

	private final AtomicBoolean tokenRevoked = new AtomicBoolean();

	private volatile @Nullable String acceptedToken;

	private final AtomicInteger overflowCloses = new AtomicInteger();

	private final String url;

	private WebSocketEndpoint(LogStore store, WebSocketSettings settings, @Nullable SSLContext tls) {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "fake-arvados-ws-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.server = new ArvadosWebSocketServer((socket, name, writeDemand, record) -> new ClientConnection(socket,
				name, store, settings, this.scheduler, this.silent::get, () -> isPermitted(socket),
				this.overflowCloses::incrementAndGet, writeDemand, record), tls);
		try {
			this.server.startAndWait(START_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the WebSocket server", ex);
		}
		this.url = ((tls != null) ? "wss" : "ws") + "://127.0.0.1:" + this.server.getPort() + ArvadosWebSocketServer.PATH;
		store.onCommit(this::fanOut);
	}

	/** Starts a server on a free loopback port; TLS ({@code wss://}) when {@code tls} is given. */
	public static WebSocketEndpoint start(LogStore store, WebSocketSettings settings, @Nullable SSLContext tls) {
		return new WebSocketEndpoint(store, settings, tls);
	}

	/** The URL the discovery document advertises, {@code ws://127.0.0.1:PORT/websocket}. */
	public String url() {
		return this.url;
	}

	public void sendRaw(String frame) {
		this.server.connections().forEach((connection) -> connection.sendRaw(frame));
	}

	/** Closes every socket without a close frame, like a crashed server or a lost network. */
	public void dropConnections() {
		for (WebSocket socket : this.server.sockets()) {
			socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "dropped by the fake cluster");
		}
	}

	public void closeConnections() {
		this.server.connections().forEach(ClientConnection::closeNormally);
	}

	/** While true, no connection gets an event, live or replayed, as when the token's permission checks fail. */
	public void setTokenRevoked(boolean revoked) {
		this.tokenRevoked.set(revoked);
	}

	/**
	 * Deliver events only to connections that presented this token. arvados-ws accepts any token, answers the
	 * subscription with 200 and then drops every event the token may not read: a wrong token looks connected.
	 * @param token the one token that may read events; {@code null} for any
	 */
	public void acceptOnlyToken(@Nullable String token) {
		this.acceptedToken = token;
	}

	private boolean isPermitted(WebSocket socket) {
		if (this.tokenRevoked.get()) {
			return false;
		}
		String accepted = this.acceptedToken;
		if (accepted == null) {
			return true;
		}
		String target = socket.getResourceDescriptor();
		int query = (target != null) ? target.indexOf('?') : -1;
		return accepted.equals(QueryString.parse((query < 0) ? null : target.substring(query + 1)).get("api_token"));
	}

	public void setSilent(boolean silent) {
		this.silent.set(silent);
	}

	public void setRefuseConnections(boolean refuse) {
		this.server.setRefusing(refuse);
	}

	public int openConnections() {
		return (int) this.server.sockets().stream().filter(WebSocket::isOpen).count();
	}

	public int connectionsAccepted() {
		return this.server.accepted();
	}

	public int overflowCloses() {
		return this.overflowCloses.get();
	}

	public List<String> clientMessages() {
		return this.server.clientMessages();
	}

	public List<String> tokensSeen() {
		return this.server.tokens();
	}

	/**
	 * Ends the silence, dropping the connections it made half-open (every one open while it lasts, and those that
	 * went silent before): they would write nothing more, for good.
	 */
	public void endSilence() {
		if (this.silent.getAndSet(false)) {
			dropConnections();
		}
		else {
			this.server.connections().stream().filter(ClientConnection::isHalfOpen).forEach(ClientConnection::drop);
		}
	}

	/** Forget the client messages and tokens recorded so far. */
	public void forgetRecords() {
		this.server.forgetRecords();
	}

	/**
	 * What each recent connection did, step by step with times: frames received, handled, queued, handed to
	 * Java-WebSocket and written to the socket, and closes. For the report of a test that timed out.
	 */
	public String describeConnections() {
		return this.server.describeConnections();
	}

	Collection<WebSocket> sockets() {
		return this.server.sockets();
	}

	/** Drops the connections (a stopping arvados-ws sends no close frame) and frees the port. */
	@Override
	public void close() {
		dropConnections();
		try {
			this.server.stop(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.scheduler.shutdownNow();
		}
	}

	/** Runs inside the store's commit lock: never blocks, a full queue closes its connection. */
	private void fanOut(LogEntry entry) {
		Supplier<EventFrame> frame = new Supplier<>() {

			private @Nullable EventFrame encoded;

			@Override
			public EventFrame get() {
				if (this.encoded == null) {
					this.encoded = EventFrame.of(entry);
				}
				return this.encoded;
			}

		};
		this.server.connections().forEach((connection) -> connection.deliver(entry, frame));
	}

}
