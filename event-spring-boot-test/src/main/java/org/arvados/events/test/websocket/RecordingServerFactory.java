package org.arvados.events.test.websocket;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.BiConsumer;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * Java-WebSocket's socket factory (plain or TLS) with a {@link ConnectionRecord} started for each accepted socket
 * and its channel wrapped to write into it.
 */
final class RecordingServerFactory implements WebSocketServerFactory {

	private final WebSocketServerFactory factory;

	private final BiConsumer<WebSocket, ConnectionRecord> started;

	RecordingServerFactory(WebSocketServerFactory factory, BiConsumer<WebSocket, ConnectionRecord> started) {
		this.factory = factory;
		this.started = started;
	}

	@Override
	public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
		return this.factory.createWebSocket(adapter, draft);
	}

	@Override
	public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
		return this.factory.createWebSocket(adapter, drafts);
	}

	// The server registers the socket with its WebSocketImpl attached before it asks for the channel.
	@Override
	public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
		WebSocketImpl socket = (WebSocketImpl) key.attachment();
		ConnectionRecord record = new ConnectionRecord();
		this.started.accept(socket, record);
		return new RecordingChannel(this.factory.wrapChannel(channel, key), record, socket.outQueue);
	}

	@Override
	public void close() {
		this.factory.close();
	}

}
