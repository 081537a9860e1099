package org.arvados.events.stream;

import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.transport.TokenSafeWebSocketClient;
import org.arvados.events.transport.netty.NettyWebSocketClient;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.client.WebSocketClient;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end tests run on the client that {@code arvados.events.websocket.client} chooses: Tomcat's by default,
 * Netty's in the build's second run of the WebSocket tests (a system property). This one says which ran.
 */
class WebSocketClientChoiceTests {

	@Test
	void theEventsComeThroughTheChosenClient() {
		boolean netty = "netty".equals(System.getProperty("arvados.events.websocket.client"));
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				assertThat(context.getBean(WebSocketClient.class))
					.isExactlyInstanceOf(netty ? NettyWebSocketClient.class : TokenSafeWebSocketClient.class);
				Recorder recorder = awaitSubscribed(context);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
			});
		}
	}

}
