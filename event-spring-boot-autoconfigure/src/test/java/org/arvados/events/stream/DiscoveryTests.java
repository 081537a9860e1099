package org.arvados.events.stream;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.arvados.events.lifecycle.DisconnectReason;
import org.arvados.events.lifecycle.StreamPhase;
import org.arvados.events.lifecycle.TransportMode;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.subscription.ArvadosEventSubscription;
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
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The discovery document when the endpoint misbehaves or is not an Arvados API at all: a WireMock API in front of
 * the fake cluster (the rest of the API is proxied to it).
 */
@ExtendWith(OutputCaptureExtension.class)
class DiscoveryTests {

	private static final String DISCOVERY = "/discovery/v1/apis/arvados/v1/rest";

	/** Not the default 15 s: an event emitted while polling is found within a tenth of a second, not fifteen. */
	private static final String POLL_OFTEN = "arvados.events.polling.interval=100ms";

	@RegisterExtension
	final WireMockExtension api = WireMockExtension.newInstance()
		.options(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort())
		.build();

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void serverErrorsAreRetriedUntilDiscoveryWorksAndTheirBodiesAreNotLogged(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			proxyTheRestTo(cluster);
			this.api.stubFor(get(DISCOVERY).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
				.willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
					.withBody("{\"errors\":[\"Internal Server Error\"]}"))
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
				assertThat(output).contains("Cannot reach the API of " + this.api.baseUrl() + " (")
					.contains("answered HTTP 500 (application/json)")
					.contains("answered HTTP 503")
					.doesNotContain("\"errors\"");
				this.api.verify(3, getRequestedFor(urlEqualTo(DISCOVERY)));
			});
		}
	}

	@Test
	void aClusterWithoutAWebSocketServerIsPolledAndSaysWhatToSet(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			proxyTheRestTo(cluster);
			this.api.stubFor(get(DISCOVERY).willReturn(okJson("{\"websocketUrl\":\"\"}")));
			apiRunner(cluster).run((context) -> {
				await().atMost(WAIT)
					.until(() -> context.getBean(ArvadosEventSubscription.class).state().mode() == TransportMode.POLLING);
				assertThat(output).contains("does not advertise a websocketUrl; set arvados.events.websocket.url");
			});
		}
	}

	@Test
	void anUnparseableWebSocketUrlCountsAsNoneAndEventsArePolled(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().start()) {
			proxyTheRestTo(cluster);
			this.api.stubFor(get(DISCOVERY).willReturn(okJson("{\"websocketUrl\":\"wss://h/web socket\"}")));
			apiRunner(cluster, POLL_OFTEN).run((context) -> {
				Recorder recorder = context.getBean(Recorder.class);
				await().atMost(WAIT)
					.until(() -> context.getBean(ArvadosEventSubscription.class).state().phase() == StreamPhase.POLLING);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
				assertThat(output).contains("advertises a websocketUrl that is not a ws:// or wss:// URL")
					.doesNotContain("Cannot reach the API");
			});
			apiRunner(cluster, POLL_OFTEN, "arvados.events.transport=polling").run((context) -> {
				Recorder recorder = context.getBean(Recorder.class);
				await().atMost(WAIT)
					.until(() -> context.getBean(ArvadosEventSubscription.class).state().phase() == StreamPhase.POLLING);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
			});
		}
	}

	@Test
	void anEndpointThatIsNotAnArvadosApiIsDownAtOnceAndSaidOnce(CapturedOutput output) {
		this.api.stubFor(any(urlPathMatching("/.*")).willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "text/html")
			.withBody("<html><body>Workbench: page not found</body></html>")));
		try (FakeArvadosCluster cluster = cluster().start()) {
			apiRunner(cluster, "arvados.events.websocket.retry-interval=100ms").run((context) -> {
				ArvadosEventSubscription subscription = context.getBean(ArvadosEventSubscription.class);
				await().atMost(WAIT)
					.until(() -> this.api.findAll(getRequestedFor(urlEqualTo(DISCOVERY))).size() >= 3);
				assertThat(subscription.state().reason()).isEqualTo(DisconnectReason.NOT_AN_ARVADOS_API);
				assertThat(subscription.state().connected()).isFalse();
				String errors = output.getAll().lines().filter((line) -> line.contains(" ERROR ")).reduce("", String::concat);
				assertThat(errors).containsOnlyOnce(this.api.baseUrl() + " is not an Arvados API server")
					.contains("answered HTTP 404 (text/html)");
				assertThat(output).doesNotContain("Workbench: page not found");
				assertThat(cluster.connectionsAccepted()).isZero();
			});
		}
	}

	@Test
	void aDiscoveryDocumentThatIsNotJsonIsNotAnArvadosApi(CapturedOutput output) {
		this.api.stubFor(get(DISCOVERY).willReturn(okJson("<html>proxy login</html>")));
		try (FakeArvadosCluster cluster = cluster().start()) {
			apiRunner(cluster).run((context) -> {
				await().atMost(WAIT).until(() -> output.getAll().contains("is not an Arvados API server"));
				assertThat(output).contains("discovery document (/discovery/v1/apis/arvados/v1/rest) is not JSON")
					.doesNotContain("proxy login");
			});
		}
	}

	// Everything but discovery goes to the fake cluster's API.
	private void proxyTheRestTo(FakeArvadosCluster cluster) {
		this.api.stubFor(any(urlPathMatching("/arvados/.*")).atPriority(10)
			.willReturn(aResponse().proxiedFrom(cluster.endpoint())));
	}

	private ApplicationContextRunner apiRunner(FakeArvadosCluster cluster, String... properties) {
		return runner(cluster, "arvados.events.endpoint=" + this.api.baseUrl()).withPropertyValues(properties);
	}

}
