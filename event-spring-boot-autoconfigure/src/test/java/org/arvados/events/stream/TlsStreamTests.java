package org.arvados.events.stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.test.FakeArvadosCluster;
import org.arvados.events.test.LogEntry;
import org.arvados.events.test.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.awaitSubscribed;
import static org.arvados.events.stream.StreamTestSupport.cluster;
import static org.arvados.events.stream.StreamTestSupport.emit;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS against a cluster with a self-signed certificate: refused unless {@code insecure} says otherwise.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsStreamTests {

	private static SelfSignedCertificate certificate;

	@BeforeAll
	static void generateCertificate() {
		certificate = SelfSignedCertificate.generate();
	}

	@AfterEach
	void theTokenIsNeverLogged(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void anUntrustedCertificateIsRefusedOnDiscoveryAndSaidInWords(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().tls(certificate.serverContext()).start()) {
			assertThat(cluster.endpoint()).startsWith("https://");
			runner(cluster).run((context) -> {
				await().atMost(WAIT)
					.until(() -> output.getAll().contains("Cannot reach the API of " + cluster.endpoint()
							+ " (TLS handshake failed (is the certificate trusted? see arvados.events.ssl.bundle)"));
				assertThat(cluster.connectionsAccepted()).isZero();
			});
		}
	}

	// Jetty, as a web server does, answers the TLS hello with a plain HTTP 400 (the JDK's HttpServer would wait).
	@Test
	void anHttpsEndpointOnAPortThatSpeaksPlainHttpIsSaidInWords(CapturedOutput output) {
		WireMockServer plainHttp = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		plainHttp.start();
		try (FakeArvadosCluster cluster = cluster().start()) {
			String endpoint = "https://127.0.0.1:" + plainHttp.port();
			runner(cluster, "arvados.events.endpoint=" + endpoint).run((context) -> await().atMost(WAIT)
				.until(() -> output.getAll().contains("Cannot reach the API of " + endpoint
						+ " (the server answered in plain HTTP, not TLS: is the endpoint's scheme right")));
		}
		finally {
			plainHttp.stop();
		}
	}

	@Test
	void anUntrustedCertificateStopsTheTokenBeforeTheWebSocket(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().tls(certificate.serverContext()).start()) {
			assertThat(cluster.websocketUrl()).startsWith("wss://");
			runner(cluster, "arvados.events.websocket.url=" + cluster.websocketUrl()).run((context) -> {
				await().atMost(WAIT).until(() -> output.getAll().contains("TLS handshake failed"));
				assertThat(cluster.connectionsAccepted()).isZero();
				assertThat(cluster.tokensSeen()).isEmpty();
			});
		}
	}

	@Test
	void insecureTrustsItAndSaysSoOnce(CapturedOutput output) {
		try (FakeArvadosCluster cluster = cluster().tls(certificate.serverContext()).start()) {
			runner(cluster, "arvados.events.insecure=true").run((context) -> {
				Recorder recorder = awaitSubscribed(context);
				LogEntry event = emit(cluster);
				await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
				assertThat(output.getAll().split("TLS verification is OFF", -1)).hasSize(2);
			});
		}
	}

	@Test
	void anSslBundleTrustsAPrivateCaForBothTransports() {
		try (FakeArvadosCluster cluster = cluster().tls(certificate.serverContext()).start()) {
			runner(cluster, "arvados.events.ssl.bundle=arvados",
					"spring.ssl.bundle.jks.arvados.truststore.location=file:" + certificate.trustStorePath(),
					"spring.ssl.bundle.jks.arvados.truststore.password=" + certificate.password(),
					"spring.ssl.bundle.jks.arvados.truststore.type=PKCS12")
				.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
				.run((context) -> {
					Recorder recorder = awaitSubscribed(context);
					LogEntry event = emit(cluster);
					await().atMost(WAIT).until(() -> recorder.ids().contains(event.id()));
					// The catch-up and the start read the list over https; the events came over wss.
					assertThat(cluster.listRequests()).isNotEmpty();
					assertThat(cluster.connectionsAccepted()).isEqualTo(1);
				});
		}
	}

	@Test
	void anSslBundleAndInsecureTogetherAreRefused() {
		try (FakeArvadosCluster cluster = cluster().start()) {
			runner(cluster, "arvados.events.ssl.bundle=arvados", "arvados.events.insecure=true")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("set either arvados.events.ssl.bundle or arvados.events.insecure=true"));
		}
	}

}
