package org.arvados.events.sample.live;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.pull.ArvadosEventListeners;
import org.arvados.events.pull.PullListener;
import org.arvados.events.subscription.ArvadosEventSubscription;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /stream} over plain HTTP: what it sends, that a browser that falls behind is told what it missed, and
 * that a browser that leaves leaves nothing behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ARVADOS_API_HOST=", "sample.live.capacity=4" })
class LiveStreamTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	FakeArvadosCluster cluster;

	@Autowired
	ArvadosEventListeners listeners;

	@Autowired
	LiveViewers viewers;

	@Autowired
	ArvadosEventSubscription subscription;

	private final List<EventStream> streams = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeStreams() {
		this.streams.forEach(EventStream::close);
	}

	@Test
	void sendsTheStateThenEachEvent() throws Exception {
		EventStream stream = open();
		assertThat(stream.response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		await().atMost(WAIT).until(() -> stream.has("state", "\"phase\":\"LIVE\"", "\"mode\":\"WEBSOCKET\""));
		LogEntry event = this.cluster.emit("create", FakeArvadosCluster.uuid("4zz18"), Map.of());
		await().atMost(WAIT).until(() -> stream.has("arvados", "\"id\":" + event.id() + ",", "\"type\":\"create\"",
				"\"kind\":\"arvados#collection\"", "\"objectUuid\":\"" + event.objectUuid() + "\""));
	}

	@Test
	void aBrowserThatConnectsLateIsFirstSentThePhaseChangesSinceTheStreamStarted() throws Exception {
		await().atMost(WAIT).until(() -> this.subscription.state().phase() == StreamPhase.LIVE);
		EventStream stream = open();
		await().atMost(WAIT).until(() -> stream.data("state").isPresent());
		assertThat(stream.names()).as("the messages, in order").startsWith("history", "state");
		JsonNode history = JSON.readTree(stream.data("history").orElseThrow());
		List<String> phases = new ArrayList<>();
		history.path("changes").forEach((change) -> phases.add(change.path("phase").asString()));
		assertThat(phases).as("from the start")
			.startsWith("VERIFYING")
			.containsSubsequence("CONNECTING", "CATCHING_UP", "LIVE");
		assertThat(history.path("changes").get(0).path("number").asLong()).isEqualTo(1);
		assertThat(history.path("forgotten").asLong()).isZero();
	}

	@Test
	void sendsTheEventsPerSecondByTypeAndTheLagOnceASecond() throws Exception {
		EventStream stream = open();
		await().atMost(WAIT).until(() -> stream.has("state", "\"phase\":\"LIVE\""));
		LogEntry event = this.cluster.emit("rates-check", FakeArvadosCluster.uuid("4zz18"), Map.of());
		await().atMost(WAIT).until(() -> stream.has("rates", "\"rates-check\":[", "\"from\":", "\"to\":"));
		// The lag and the last event handled: this one, or one the demo stream emitted after it.
		await().atMost(WAIT).until(() -> stream.all("lag").stream().map(JSON::readTree).anyMatch((lag) ->
				lag.path("lag").isNumber() && lag.path("lastEventId").asLong() >= event.id()
						&& lag.path("sinceLastEvent").isNumber()));
	}

	@Test
	void anEventThePageNoLongerHoldsIsNotFound() throws Exception {
		URI never = URI.create("http://127.0.0.1:" + this.port + "/stream/events/999999999");
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(never).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
	}

	@Test
	void saysHowManyEventsABrowserThatFellBehindMissed() throws Exception {
		EventStream stream = open();
		await().atMost(WAIT).until(() -> stream.has("state", "\"phase\":\"LIVE\""));
		// Far more than its queue holds (4 here) between two ticks of the pump.
		for (int i = 0; i < 100; i++) {
			this.cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
		}
		await().atMost(WAIT).until(() -> stream.has("dropped", "\"dropped\":"));
	}

	@Test
	void aBrowserThatLeavesLeavesNothingBehind() throws Exception {
		EventStream stream = open();
		await().atMost(WAIT).until(() -> stream.has("state", "\"phase\""));
		assertThat(this.viewers.size()).isPositive();
		closeStreams();
		// The server notices at its next write: an event, or the heartbeat.
		await().atMost(WAIT).until(() -> {
			this.cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			return this.viewers.size() == 0;
		});
		assertThat(pageListeners()).as("the page's one pull listener, there with no browser").hasSize(1);
	}

	private List<String> pageListeners() {
		return this.listeners.openListeners()
			.stream()
			.map(PullListener::name)
			.filter((name) -> name.startsWith("live-page"))
			.toList();
	}

	private EventStream open() throws IOException, InterruptedException {
		EventStream stream = EventStream.open(this.port);
		this.streams.add(stream);
		return stream;
	}

}
