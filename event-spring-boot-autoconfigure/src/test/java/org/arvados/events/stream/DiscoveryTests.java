package org.arvados.events.stream;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finding the WebSocket URL through the discovery document when the API server misbehaves: a WireMock API in
 * front of the fake cluster's WebSocket server.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiscoveryTests {

	private static final String DISCOVERY = "/discovery/v1/apis/arvados/v1/rest";

	@RegisterExtension
	final WireMockExtension api = WireMockExtension.newInstance()
		.options(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort())
		.build();

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void serverErrorsAreRetriedUntilDiscoveryWorks(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			this.api.stubFor(get(DISCOVERY).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
				.willReturn(aResponse().withStatus(500).withBody("{\"errors\":[\"Internal Server Error\"]}"))
				.willSetStateTo("failed once"));
			this.api.stubFor(get(DISCOVERY).inScenario("flaky").whenScenarioStateIs("failed once")
				.willReturn(aResponse().withStatus(503))
				.willSetStateTo("recovered"));
			this.api.stubFor(get(DISCOVERY).inScenario("flaky").whenScenarioStateIs("recovered")
				.willReturn(okJson("{\"kind\":\"discovery#restDescription\",\"websocketUrl\":\"" + cluster.websocketUrl()
						+ "\",\"newField\":{\"ignored\":true}}")));
			apiRunner(cluster).run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
				assertThat(output).contains("Cannot find the WebSocket URL of " + this.api.baseUrl() + ": ")
					.contains("500 Internal Server Error").contains("503 Service Unavailable");
				this.api.verify(3, getRequestedFor(urlEqualTo(DISCOVERY)));
			});
		}
	}

	@Test
	void aClusterWithoutAWebSocketServerSaysWhatToSet(CapturedOutput output) {
		this.api.stubFor(get(DISCOVERY).willReturn(okJson("{\"websocketUrl\":\"\"}")));
		try (FakeArvadosCluster cluster = cluster().start()) {
			apiRunner(cluster).run((context) -> await().atMost(WAIT)
				.until(() -> output.getAll().contains("does not advertise a websocketUrl; set arvados.events.websocket-url")));
		}
	}

	@Test
	void anUnreadableDiscoveryDocumentIsReportedAndRetried(CapturedOutput output) {
		this.api.stubFor(get(DISCOVERY).willReturn(okJson("<html>proxy login</html>")));
		try (FakeArvadosCluster cluster = cluster().start()) {
			apiRunner(cluster).run((context) -> {
				await().atMost(WAIT).until(() -> this.api.findAll(getRequestedFor(urlEqualTo(DISCOVERY))).size() >= 2);
				assertThat(output).contains("Cannot find the WebSocket URL of " + this.api.baseUrl());
			});
		}
	}

	private ApplicationContextRunner apiRunner(FakeArvadosCluster cluster) {
		return runner(cluster, "arvados.events.endpoint=" + this.api.baseUrl());
	}

}
