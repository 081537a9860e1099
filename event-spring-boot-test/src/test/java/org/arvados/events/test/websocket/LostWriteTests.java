package org.arvados.events.test.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.arvados.events.test.store.LogStore;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A frame the library holds unwritten after its selector cleared the socket's write interest (a race in
 * Java-WebSocket between a send from another thread and the end of a write) still reaches the client, long before
 * the next keepalive would have carried it.
 */
class LostWriteTests {

	@Test
	void aFrameLeftUnwrittenWithoutWriteInterestIsWrittenSoon() throws Exception {
		WebSocketSettings settings = new WebSocketSettings(64, Duration.ofSeconds(60), Duration.ofMinutes(5));
		List<String> received = new CopyOnWriteArrayList<>();
		try (WebSocketEndpoint endpoint = WebSocketEndpoint.start(new LogStore(1), settings, null)) {
			WebSocket client = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create(endpoint.url() + "?api_token=t"), new WebSocket.Listener() {
					@Override
					public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
						received.add(data.toString());
						socket.request(1);
						return null;
					}
				})
				.get(10, TimeUnit.SECONDS);
			client.sendText("{\"method\":\"subscribe\"}", true);
			await().until(() -> received.contains("{\"status\":200}"));
			WebSocketImpl socket = (WebSocketImpl) endpoint.sockets().iterator().next();
			// What the race leaves: a frame queued, the write interest cleared, nobody to ask for it again.
			socket.getSelectionKey().interestOps(SelectionKey.OP_READ);
			List<Framedata> frames = socket.getDraft().createFrames("{\"status\":418}", false);
			for (Framedata frame : frames) {
				ByteBuffer bytes = socket.getDraft().createBinaryFrame(frame);
				socket.outQueue.put(bytes);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("{\"status\":418}"));
			assertThat(received).doesNotContain("{}");
			client.abort();
		}
	}

}
