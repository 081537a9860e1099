package org.arvados.events.stream;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.arvados.events.stream.StreamTestSupport.SECRET;
import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API client sends the token in a header the JDK would carry along a redirect, to any host: Arvados' list and
 * discovery need no redirect, so none is followed.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedirectTests {

	private static final String LOGS = "/arvados/v1/logs";

	private static final String CURRENT_USER = "/arvados/v1/users/current";

	@RegisterExtension
	final WireMockExtension api = WireMockExtension.newInstance()
		.options(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort())
		.build();

	/** Another origin (another port on loopback): what a redirect must not hand the token to. */
	@RegisterExtension
	final WireMockExtension elsewhere = WireMockExtension.newInstance()
		.options(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort())
		.build();

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void aRedirectOfTheListToAnotherOriginIsNotFollowedAndGetsNoToken(CapturedOutput output) {
		this.api.stubFor(get(urlPathEqualTo(CURRENT_USER))
			.willReturn(okJson("{\"kind\":\"arvados#user\",\"uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\"}")));
		redirect(LOGS);
		follow((context) -> {
			// Two list requests: the first one's answer was dealt with, redirect and all.
			await().atMost(WAIT).until(() -> this.api.findAll(getRequestedFor(urlPathEqualTo(LOGS))).size() >= 2);
			assertNoTokenElsewhere();
			assertThat(output).contains("The logs list of " + this.api.baseUrl() + " answered HTTP 302 (a redirect to "
					+ this.elsewhere.baseUrl() + ")");
		});
	}

	@Test
	void aRedirectOfTheUserIsNoAnswerAndTheListIsNotAskedUntilItIs(CapturedOutput output) {
		redirect(CURRENT_USER);
		redirect(LOGS);
		follow((context) -> {
			await().atMost(WAIT)
				.until(() -> this.api.findAll(getRequestedFor(urlPathEqualTo(CURRENT_USER))).size() >= 2);
			assertThat(this.api.findAll(getRequestedFor(urlPathEqualTo(LOGS)))).isEmpty();
			assertNoTokenElsewhere();
			assertThat(output).contains(this.api.baseUrl() + CURRENT_USER + " answered HTTP 302 (a redirect to "
					+ this.elsewhere.baseUrl() + "), which is not followed");
		});
	}

	@Test
	void aRedirectOfTheWebSocketHandshakeIsNotFollowedAndSaysWhereItPointed(CapturedOutput output) {
		stubListAndUser();
		this.api.stubFor(get(urlPathEqualTo("/discovery/v1/apis/arvados/v1/rest"))
			.willReturn(okJson("{\"kind\":\"discovery#restDescription\",\"websocketUrl\":\""
					+ this.api.baseUrl().replace("http://", "ws://") + "/websocket\"}")));
		// As an nginx "return 301 http://…$request_uri" behind a TLS-terminating balancer: the query, token and all.
		this.api.stubFor(get(urlPathEqualTo("/websocket")).willReturn(aResponse().withStatus(301)
			.withHeader("Location", this.elsewhere.baseUrl() + "/websocket?api_token="
					+ URLEncoder.encode(StreamTestSupport.TOKEN, StandardCharsets.UTF_8))));
		this.elsewhere.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
		try (FakeArvadosCluster cluster = StreamTestSupport.cluster().start()) {
			runner(cluster, "arvados.events.endpoint=" + this.api.baseUrl(), "arvados.events.transport=websocket")
				.run((context) -> {
					await().atMost(WAIT)
						.until(() -> this.api.findAll(getRequestedFor(urlPathEqualTo("/websocket"))).size() >= 2);
					assertThat(this.elsewhere.findAll(anyRequestedFor(anyUrl()))).as("requests to another origin")
						.isEmpty();
					// Where it pointed, as far as the origin: Tomcat says it as ws://, Netty with the status.
					assertThat(output).contains("redirect to ", "://" + this.elsewhere.baseUrl().replace("http://", ""),
							"which is not followed");
				});
		}
	}

	private void stubListAndUser() {
		this.api.stubFor(get(urlPathEqualTo(CURRENT_USER))
			.willReturn(okJson("{\"kind\":\"arvados#user\",\"uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\"}")));
		this.api.stubFor(get(urlPathEqualTo(LOGS))
			.willReturn(okJson("{\"kind\":\"arvados#logList\",\"limit\":1000,\"items\":[]}")));
	}

	private void redirect(String path) {
		this.api.stubFor(get(urlPathEqualTo(path))
			.willReturn(aResponse().withStatus(302).withHeader("Location", this.elsewhere.baseUrl() + path)));
	}

	private void follow(ContextConsumer<AssertableApplicationContext> test) {
		this.elsewhere.stubFor(any(anyUrl()).willReturn(okJson("{\"kind\":\"arvados#logList\",\"limit\":1000,"
				+ "\"items\":[],\"uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\",\"websocketUrl\":\"\"}")));
		this.api.stubFor(get(urlPathEqualTo("/discovery/v1/apis/arvados/v1/rest"))
			.willReturn(okJson("{\"kind\":\"discovery#restDescription\",\"websocketUrl\":\"\"}")));
		try (FakeArvadosCluster cluster = StreamTestSupport.cluster().start()) {
			runner(cluster, "arvados.events.endpoint=" + this.api.baseUrl(), "arvados.events.transport=polling",
					"arvados.events.polling.interval=50ms")
				.run(test);
		}
	}

	private void assertNoTokenElsewhere() {
		List<LoggedRequest> withToken = this.elsewhere.findAll(anyRequestedFor(anyUrl()))
			.stream()
			.filter((request) -> (request.getHeaders().all() + request.getUrl()).contains(SECRET))
			.toList();
		// Counted, not printed: a failure message must not show the token either.
		assertThat(withToken.size()).as("requests to another origin that carried the token").isZero();
	}

}
