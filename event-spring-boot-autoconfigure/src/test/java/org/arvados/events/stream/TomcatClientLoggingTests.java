package org.arvados.events.stream;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.arvados.events.stream.StreamTestSupport.SECRET;
import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * arvados-ws reads the token only from the URL's query, and Tomcat's WebSocket client (it logs through
 * java.util.logging, which Boot bridges) writes that URL in one line at TRACE: what the README says, exactly. Should
 * a Tomcat upgrade log it at DEBUG or above, or elsewhere, this fails and the README must change.
 */
class TomcatClientLoggingTests {

	private static final String TOMCAT = "org.apache.tomcat";

	private static final String CONTAINER = "org.apache.tomcat.websocket.WsWebSocketContainer";

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private final Handler recorder = new Handler() {

		@Override
		public void publish(LogRecord record) {
			TomcatClientLoggingTests.this.records.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	// Held, so that the level set here is not lost with a collected logger.
	private final Logger tomcat = Logger.getLogger(TOMCAT);

	private Level previousLevel;

	@BeforeEach
	void recordTomcatAtEveryLevel() {
		this.previousLevel = this.tomcat.getLevel();
		this.tomcat.setLevel(Level.ALL);
		this.recorder.setLevel(Level.ALL);
		this.tomcat.addHandler(this.recorder);
	}

	@AfterEach
	void restore() {
		this.tomcat.removeHandler(this.recorder);
		this.tomcat.setLevel(this.previousLevel);
	}

	@Test
	void onlyTheContainersTraceLineOfEachConnectionCarriesTheToken() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster).run((context) -> {
				Recorder handled = awaitSubscribed(context);
				LogEntry entry = emit(cluster);
				await().atMost(WAIT).until(() -> handled.ids().contains(entry.id()));
			});
		}
		String encoded = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
		List<LogRecord> withToken = this.records.stream().filter((record) -> {
			String text = new SimpleFormatter().formatMessage(record);
			return text.contains(SECRET) || text.contains(encoded);
		}).toList();
		assertThat(withToken).as("Tomcat records that carry the token").isNotEmpty().allSatisfy((record) -> {
			assertThat(record.getLoggerName()).isEqualTo(CONTAINER);
			// Tomcat's trace(): FINER, below FINE (DEBUG), so seen only with the logger at TRACE.
			assertThat(record.getLevel()).isEqualTo(Level.FINER);
			assertThat(record.getMessage()).startsWith("Connecting endpoint instance of type");
		});
	}

}
