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

	@Test
	void masksAShortTokenAsAWholeValueOnly() {
		SecretRedactor redactor = new SecretRedactor("e");
		assertThat(redactor.describe(new IllegalStateException("Handshake to ws://h/websocket?api_token=e failed",
				new RuntimeException("token e rejected"))))
			.isEqualTo("IllegalStateException: Handshake to ws://h/websocket?api_token=****** failed; "
					+ "caused by RuntimeException: token ****** rejected");
		assertThat(redactor.redact("GET \"http://h/arvados/v1/logs?api_token=e&limit=1\": Connection reset"))
			.isEqualTo("GET \"http://h/arvados/v1/logs?api_token=******&limit=1\": Connection reset");
		assertThat(redactor.redact("Authorization: Bearer e")).isEqualTo("Authorization: Bearer ******");
		assertThat(redactor.redact("Authorization: OAuth2 e, sent")).isEqualTo("Authorization: OAuth2 ******, sent");
		assertThat(redactor.redact("e")).isEqualTo("******");
		assertThat(redactor.redact("(e)")).isEqualTo("(******)");
		assertThat(redactor.redact("ResourceAccessException: the exec-e_e line")).as("inside words and names")
			.isEqualTo("ResourceAccessException: the exec-e_e line");
	}

	@Test
	void masksAShortTokenUrlEncodedInTheQuery() {
		SecretRedactor redactor = new SecretRedactor("a/b");
		assertThat(redactor.redact("ws://h/websocket?x=1&api_token=a%2Fb#f and a/b, not a/bc"))
			.isEqualTo("ws://h/websocket?x=1&api_token=******#f and ******, not a/bc");
	}

	@Test
	void masksALongTokenWhereverItStands() {
		SecretRedactor redactor = new SecretRedactor("s3cr3t-t0ken");
		assertThat(redactor.redact("prefix-s3cr3t-t0ken-suffix xs3cr3t-t0kenx")).isEqualTo("prefix-******-suffix x******x");
	}

	@Test
	void keepsWhatItDescribesOnOneLine() {
		SecretRedactor redactor = new SecretRedactor(this.token);
		assertThat(redactor.describe(new IllegalStateException("Bad answer\r\nWARN forged", new RuntimeException("a\u001b[2Jb"))))
			.isEqualTo("IllegalStateException: Bad answer\\r\\nWARN forged; caused by RuntimeException: a\\u001b[2Jb");
	}

	@Test
	void saysInWordsThatAnHttpsEndpointAnsweredInPlainHttp() {
		SecretRedactor redactor = new SecretRedactor(this.token);
		String expected = "the server answered in plain HTTP, not TLS: is the endpoint's scheme right "
				+ "(https:// or wss:// to a port that speaks http://)?";
		assertThat(redactor.describe(new RuntimeException("I/O error",
				new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message"))))
			.startsWith(expected);
		assertThat(redactor.describe(new javax.net.ssl.SSLException("Unrecognized SSL message, plaintext connection?")))
			.startsWith(expected);
	}

}
