package org.arvados.events.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.arvados.events.decode.LogPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The list client's reading of answers: a body read up to a size, errors read only in part, redirects refused.
 */
class LogsClientTests {

	private static final String TOKEN = "v2/zzzzz-gj3su-tok3nn0tt0b3l0gg3d/Xyzzy-s3cr3t-Plugh";

	private static final String LOGS = "/arvados/v1/logs";

	@RegisterExtension
	final WireMockExtension api = WireMockExtension.newInstance()
		.options(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort())
		.build();

	@Test
	void aBodyWithinTheLimitIsDecoded() {
		this.api.stubFor(get(urlPathEqualTo(LOGS)).willReturn(okJson(page(40))));
		LogPage page = client(10_000).after(List.of(), 0, 100);
		assertThat(page.size()).isEqualTo(40);
		assertThat(page.limit()).isEqualTo(100);
	}

	@Test
	void aBodyOverTheLimitIsAClearErrorWhetherItsLengthIsSaidOrNot() {
		String body = page(400);
		assertThat(body.length()).isGreaterThan(10_000);
		this.api.stubFor(get(urlPathEqualTo(LOGS)).willReturn(okJson(body)));
		assertThatExceptionOfType(LogsClient.ResponseTooLargeException.class)
			.isThrownBy(() -> client(10_000).after(List.of(), 0, 1000))
			.withMessageContaining("more than 10000 bytes")
			.withMessageContaining(this.api.baseUrl());
		// Chunked: no Content-Length to refuse it by, so the read stops at the limit.
		this.api.stubFor(get(urlPathEqualTo(LOGS))
			.willReturn(okJson(body).withChunkedDribbleDelay(20, 20)));
		assertThatExceptionOfType(LogsClient.ResponseTooLargeException.class)
			.isThrownBy(() -> client(10_000).after(List.of(), 0, 1000))
			.withMessageContaining("more than 10000 bytes");
	}

	@Test
	void anErrorBodyStaysOutOfTheMessageThatHealthAndEventsShow() {
		this.api.stubFor(get(urlPathEqualTo(LOGS)).willReturn(aResponse().withStatus(500)
			.withBody("{\"errors\":[\"PG::ConnectionBad: could not connect to server at 10.1.2.3\"]}")));
		assertThatExceptionOfType(HttpServerErrorException.class)
			.isThrownBy(() -> client(10_000).after(List.of(), 0, 1000))
			.satisfies((ex) -> assertThat(ex.getMessage()).isEqualTo("500 Internal Server Error (a body of 73 bytes)"));
	}

	@Test
	void ofAnErrorOnlyTheStartIsRead() {
		this.api.stubFor(get(urlPathEqualTo(LOGS))
			.willReturn(aResponse().withStatus(502).withBody("<html>" + "bad gateway ".repeat(100_000) + "</html>")));
		assertThatExceptionOfType(HttpServerErrorException.class)
			.isThrownBy(() -> client(10_000).after(List.of(), 0, 1000))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(502);
				assertThat(ex.getResponseBodyAsString()).startsWith("<html>bad gateway").hasSize(4096);
			});
	}

	@Test
	void aRedirectIsAFailureThatSaysWhereItPointed() {
		this.api.stubFor(get(urlPathEqualTo(LOGS))
			.willReturn(aResponse().withStatus(302).withHeader("Location", "https://elsewhere.example:8443/arvados/v1/logs")));
		assertThatExceptionOfType(RestClientException.class).isThrownBy(() -> client(10_000).after(List.of(), 0, 1000))
			.withMessageContaining("answered HTTP 302 (a redirect to https://elsewhere.example:8443)")
			.withMessageContaining("not followed")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(TOKEN));
	}

	@Test
	void aTokenRejectedIsSaidAsSuch() {
		this.api.stubFor(get(urlPathEqualTo(LOGS))
			.willReturn(aResponse().withStatus(401).withBody("{\"errors\":[\"Not logged in\"]}")));
		assertThatExceptionOfType(TokenRejectedException.class).isThrownBy(() -> client(10_000).after(List.of(), 0, 1))
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(401));
	}

	private LogsClient client(long maxResponseSize) {
		HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		RestClient rest = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory(http)).build();
		return new LogsClient(URI.create(this.api.baseUrl()), TOKEN, rest, maxResponseSize);
	}

	private static String page(int count) {
		StringBuilder json = new StringBuilder("{\"kind\":\"arvados#logList\",\"offset\":0,\"limit\":100,\"items\":[");
		for (int i = 1; i <= count; i++) {
			json.append((i > 1) ? "," : "").append("{\"id\":").append(i).append(",\"event_type\":\"update\"}");
		}
		return json.append("]}").toString();
	}

}
