package org.arvados.events.transport;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactorTests {

	private final String token = "v2/zzzzz-gj3su-0123456789abcde/s3cr3t+t0ken";

	@Test
	void masksTheTokenPlainAndUrlEncoded() {
		SecretRedactor redactor = new SecretRedactor(this.token);
		URI url = WebSocketTransport.withToken(URI.create("wss://ws.example/websocket"), this.token);
		assertThat(url.toString()).contains("api_token=v2%2Fzzzzz-gj3su-0123456789abcde%2Fs3cr3t%2Bt0ken");
		String described = redactor.describe(new IllegalStateException("Handshake to " + url + " failed",
				new RuntimeException("token " + this.token + " rejected")));
		assertThat(described).doesNotContain("s3cr3t")
			.contains("IllegalStateException: Handshake to wss://ws.example/websocket?api_token=****** failed")
			.contains("caused by RuntimeException: token ****** rejected");
	}

	@Test
	void keepsAnExistingQuery() {
		assertThat(WebSocketTransport.withToken(URI.create("ws://h/websocket?x=1"), "t"))
			.hasToString("ws://h/websocket?x=1&api_token=t");
	}

	@Test
	void saysTheFailuresPeopleMeetInWords() {
		SecretRedactor redactor = new SecretRedactor(this.token);
		assertThat(redactor.describe(new java.util.concurrent.CompletionException(new java.net.ConnectException())))
			.isEqualTo("connection refused");
		assertThat(redactor.describe(new RuntimeException("I/O error", new java.net.UnknownHostException("zzzzz.example"))))
			.isEqualTo("unknown host (zzzzz.example)");
		assertThat(redactor.describe(new javax.net.ssl.SSLHandshakeException("PKIX path building failed")))
			.startsWith("TLS handshake failed (is the certificate trusted? see arvados.events.ssl.bundle)");
		assertThat(redactor.describe(new java.net.http.HttpTimeoutException("request timed out"))).startsWith("timed out");
	}

}
