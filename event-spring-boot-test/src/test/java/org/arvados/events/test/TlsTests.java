package org.arvados.events.test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code https://} and {@code wss://} with a {@link SelfSignedCertificate}: a client trusting it
 * connects, a client with the default trust store refuses it.
 */
class TlsTests {

	private static SelfSignedCertificate certificate;

	private static FakeArvadosCluster cluster;

	@BeforeAll
	static void startTlsCluster() {
		certificate = SelfSignedCertificate.generate();
		cluster = FakeArvadosCluster.builder().tls(certificate.serverContext()).start();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	void urlsUseTlsSchemes() {
		assertThat(cluster.endpoint()).startsWith("https://127.0.0.1:");
		assertThat(cluster.websocketUrl()).startsWith("wss://127.0.0.1:").endsWith("/websocket");
		assertThat(certificate.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
	}

	@Test
	void aClientTrustingTheCertificateConnects() throws Exception {
		HttpClient http = HttpClient.newBuilder().sslContext(certificate.clientContext()).build();
		HttpResponse<String> discovery = http.send(HttpRequest
			.newBuilder(URI.create(cluster.endpoint() + "/discovery/v1/apis/arvados/v1/rest"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(discovery.body()).contains("\"websocketUrl\":\"" + cluster.websocketUrl() + "\"");
		try (TestWebSocketClient client = TestWebSocketClient.connect(cluster, http, cluster.websocketUrl(), true)) {
			client.send("{\"method\":\"subscribe\"}");
			cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			assertThat(client.awaitMessages(1)).containsExactly("{\"status\":200}");
		}
	}

	@Test
	void theTrustStoreFileHoldsOnlyTheCertificate() throws Exception {
		KeyStore trustStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(certificate.trustStorePath())) {
			trustStore.load(in, certificate.password().toCharArray());
		}
		assertThat(trustStore.isCertificateEntry("localhost")).isTrue();
		assertThat(trustStore.getCertificate("localhost")).isEqualTo(certificate.certificate());
		assertThat(certificate.keyStorePath()).exists();
	}

	@Test
	void aClientWithDefaultTrustRefusesTheCertificate() {
		HttpClient http = HttpClient.newHttpClient();
		assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/")).build(),
				HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(SSLHandshakeException.class);
		assertThatThrownBy(() -> TestWebSocketClient.connect(cluster, http, cluster.websocketUrl(), true))
			.hasRootCauseInstanceOf(CertPathBuilderException.class);
	}

}
