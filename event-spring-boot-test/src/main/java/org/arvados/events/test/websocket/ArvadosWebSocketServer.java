package org.arvados.events.test.websocket;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.arvados.events.test.format.QueryString;
import org.arvados.events.test.websocket.ConnectionRecord.What;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket side of the fake arvados-ws: routes handshakes like its {@code router.go},
 * records what clients send, and hands each accepted socket to a {@link ClientConnection}.
 */
final class ArvadosWebSocketServer extends WebSocketServer {

	private static final Logger logger = LoggerFactory.getLogger(ArvadosWebSocketServer.class);

	static final String PATH = "/websocket";

	/** The v1 endpoint: the upgrade succeeds, then the server closes at once. */
	private static final String V1_PATH = "/arvados/v1/events.ws";

	private static final String REJECTED = "rejected";

	/** Records kept, closed connections' too: enough for a test's reconnects. */
	private static final int RECORDS_KEPT = 32;

	private final ConnectionFactory connectionFactory;

	private final Map<WebSocket, ClientConnection> connections = new ConcurrentHashMap<>();

	private final CountDownLatch started = new CountDownLatch(1);

	private final AtomicBoolean refusing = new AtomicBoolean();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger opened = new AtomicInteger();

	private final List<String> tokens = Collections.synchronizedList(new ArrayList<>());

	private final List<String> clientMessages = Collections.synchronizedList(new ArrayList<>());

	private final Map<WebSocket, ConnectionRecord> records = Collections.synchronizedMap(new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<WebSocket, ConnectionRecord> eldest) {
			return size() > RECORDS_KEPT;
		}

	});

	private volatile @Nullable Exception startFailure;

	ArvadosWebSocketServer(ConnectionFactory connectionFactory, @Nullable SSLContext tls) {
		super(new InetSocketAddress("127.0.0.1", 0), List.of(new RejectingDraft()));
		this.connectionFactory = connectionFactory;
		setWebSocketFactory(new RecordingServerFactory(
				(tls != null) ? new DefaultSSLWebSocketServerFactory(tls) : new DefaultWebSocketServerFactory(),
				this.records::put));
		setReuseAddr(true);
		setTcpNoDelay(true);
		setConnectionLostTimeout(0);  // arvados-ws never pings
		setDaemon(true);
	}

	/** Starts listening and waits until the port is bound. */
	void startAndWait(Duration timeout) throws InterruptedException {
		start();
		if (!this.started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("WebSocket server did not start within " + timeout);
		}
		Exception failure = this.startFailure;
		if (failure != null) {
			throw new IllegalStateException("WebSocket server failed to start", failure);
		}
	}

	@Override
	public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket socket, Draft draft,
			ClientHandshake request) throws InvalidDataException {
		ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(socket, draft, request);
		String target = request.getResourceDescriptor();
		int query = target.indexOf('?');
		String path = (query < 0) ? target : target.substring(0, query);
		if (!PATH.equals(path) && !V1_PATH.equals(path)) {
			return reject(socket, response, 404);
		}
		if (this.refusing.get()) {
			return reject(socket, response, 503);
		}
		this.accepted.incrementAndGet();
		if (PATH.equals(path)) {
			this.tokens.add(QueryString.parse((query < 0) ? null : target.substring(query + 1))
				.getOrDefault("api_token", ""));
		}
		return response;
	}

	@Override
	public void onOpen(WebSocket socket, ClientHandshake handshake) {
		ConnectionRecord record = record(socket);
		if (REJECTED.equals(socket.getAttachment())) {
			record.name("a rejected handshake");
			((WebSocketImpl) socket).flushAndClose(CloseFrame.NEVER_CONNECTED, "rejected", false);
		}
		else if (handshake.getResourceDescriptor().startsWith(V1_PATH)) {
			record.name("a v1 handshake");
			socket.close(CloseFrame.NORMAL);
		}
		else {
			String name = "fake-arvados-ws-" + this.opened.incrementAndGet();
			record.name(name + " from " + socket.getRemoteSocketAddress());
			this.connections.put(socket,
					this.connectionFactory.open(socket, name, () -> onWriteDemand(socket), record));
		}
	}

	@Override
	public void onMessage(WebSocket socket, String message) {
		record(socket).add(What.RECEIVED, message);
		this.clientMessages.add(message);
		ClientConnection connection = this.connections.get(socket);
		if (connection != null) {
			connection.receive(message);
		}
	}

	/** arvados-ws reads binary frames like text ones. */
	@Override
	public void onMessage(WebSocket socket, ByteBuffer message) {
		onMessage(socket, StandardCharsets.UTF_8.decode(message).toString());
	}

	@Override
	public void onClose(WebSocket socket, int code, String reason, boolean remote) {
		record(socket).add(What.CLOSED, code + " " + reason + (remote ? ", by the client" : ", by the server"));
		ClientConnection connection = this.connections.remove(socket);
		if (connection != null) {
			connection.release();
		}
	}

	@Override
	public void onError(@Nullable WebSocket socket, Exception ex) {
		if (socket == null && this.started.getCount() > 0) {
			this.startFailure = ex;
			this.started.countDown();
		}
		else {
			logger.debug("WebSocket error on {}", (socket != null) ? socket.getRemoteSocketAddress() : "server", ex);
		}
	}

	@Override
	public void onStart() {
		this.started.countDown();
	}

	Collection<ClientConnection> connections() {
		return this.connections.values();
	}

	Collection<WebSocket> sockets() {
		return this.connections.keySet();
	}

	void setRefusing(boolean refusing) {
		this.refusing.set(refusing);
	}

	int accepted() {
		return this.accepted.get();
	}

	List<String> tokens() {
		return copy(this.tokens);
	}

	/** Forget the tokens and client messages recorded (counts go on). */
	void forgetRecords() {
		this.tokens.clear();
		this.clientMessages.clear();
	}

	List<String> clientMessages() {
		return copy(this.clientMessages);
	}

	/** The record of each recent connection, oldest first. */
	String describeConnections() {
		List<ConnectionRecord> recent;
		synchronized (this.records) {
			recent = List.copyOf(this.records.values());
		}
		StringBuilder text = new StringBuilder();
		recent.forEach((record) -> text.append(record.describe()));
		return text.isEmpty() ? "no connection\n" : text.toString();
	}

	// Every socket has one from its accept on; only one evicted by newer ones has not.
	private ConnectionRecord record(WebSocket socket) {
		ConnectionRecord record = this.records.get(socket);
		return (record != null) ? record : new ConnectionRecord();
	}

	private static ServerHandshakeBuilder reject(WebSocket socket, ServerHandshakeBuilder response, int status) {
		socket.setAttachment(REJECTED);
		RejectingDraft.reject(response, status);
		return response;
	}

	private static List<String> copy(List<String> list) {
		synchronized (list) {
			return List.copyOf(list);
		}
	}

	/** Makes the session of an opened socket. */
	@FunctionalInterface
	interface ConnectionFactory {

		/**
		 * @param socket the opened socket
		 * @param name the name of the session's threads
		 * @param writeDemand asks the selector again to write what the socket holds unwritten
		 * @param record where the session notes what it does with each frame
		 */
		ClientConnection open(WebSocket socket, String name, Runnable writeDemand, ConnectionRecord record);

	}

}
