package org.arvados.events.stream;

import java.time.Instant;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.stream.StreamTestSupport.Recorder;
import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.arvados.events.stream.StreamTestSupport.WAIT;
import static org.arvados.events.stream.StreamTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Polling a WireMock logs list that answers as the Rails API does, including its errors and delays.
 */
@ExtendWith(OutputCaptureExtension.class)
class PollingWireMockTests {

	private static final String LOGS = "/arvados/v1/logs";

	private static final String ITEM = "{\"kind\":\"arvados#log\",\"etag\":\"e\",\"uuid\":\"zzzzz-57u5n-000000000000%1$d\","
			+ "\"owner_uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\",\"created_at\":\"2024-05-01T12:34:56.789012000Z\","
			+ "\"modified_by_user_uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\",\"modified_at\":\"2024-05-01T12:34:56.789012000Z\","
			+ "\"id\":%1$d,\"object_uuid\":\"zzzzz-xvhdp-0123456789abcde\",\"object_owner_uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\","
			+ "\"object_kind\":\"arvados#containerRequest\",\"event_at\":\"2024-05-01T12:34:56.789012000Z\","
			+ "\"event_type\":\"update\",\"summary\":\"update of zzzzz-xvhdp-0123456789abcde\","
			+ "\"properties\":{\"old_etag\":\"a\",\"old_attributes\":{\"state\":\"Committed\",\"priority\":1},"
			+ "\"new_etag\":\"b\",\"new_attributes\":{\"state\":\"Final\",\"priority\":1,\"output_uuid\":\"zzzzz-4zz18-000000000000%1$d\"}}}";

	@RegisterExtension
	final WireMockExtension api = WireMockExtension.newInstance()
		.options(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort())
		.build();

	// An Arvados API: a discovery document and a user for the token, as every cluster has.
	@BeforeEach
	void anArvadosApi() {
		this.api.stubFor(get(urlPathEqualTo("/discovery/v1/apis/arvados/v1/rest"))
			.willReturn(okJson("{\"kind\":\"discovery#restDescription\",\"websocketUrl\":\"\"}")));
		this.api.stubFor(get(urlPathEqualTo("/arvados/v1/users/current"))
			.willReturn(okJson("{\"kind\":\"arvados#user\",\"uuid\":\"zzzzz-tpzed-xurymjxw79nv3jz\"}")));
	}

	@AfterEach
	void neverLogsTheToken(CapturedOutput output) {
		StreamTestSupport.assertTokenNeverLogged(output);
	}

	@Test
	void listItemsReachHandlersWholeThroughErrorsAndDelays(CapturedOutput output) {
		this.api.stubFor(get(urlPathEqualTo(LOGS)).withQueryParam("order", equalTo("id desc"))
			.willReturn(okJson(page(100))));
		this.api.stubFor(get(urlPathEqualTo(LOGS)).withQueryParam("order", equalTo("id asc"))
			.inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(500).withBody("{\"errors\":[\"PG::TRDeadlockDetected (req-1)\"]}"))
			.willSetStateTo("slow"));
		this.api.stubFor(get(urlPathEqualTo(LOGS)).withQueryParam("order", equalTo("id asc"))
			.withQueryParam("filters", equalToJson("[[\"id\",\">\",100]]"))
			.inScenario("flaky").whenScenarioStateIs("slow")
			.willReturn(okJson(page(101, 102)).withFixedDelay(1000))
			.willSetStateTo("caught up"));
		this.api.stubFor(get(urlPathEqualTo(LOGS)).withQueryParam("order", equalTo("id asc"))
			.inScenario("flaky").whenScenarioStateIs("caught up")
			.willReturn(okJson(page())));
		try (FakeArvadosCluster cluster = StreamTestSupport.cluster().start()) {
			runner(cluster, "arvados.events.endpoint=" + this.api.baseUrl(), "arvados.events.transport=polling",
					"arvados.events.polling.interval=100ms")
				.run((context) -> {
					Recorder recorder = context.getBean(Recorder.class);
					await().atMost(WAIT).until(() -> recorder.ids().size() >= 2);
					assertThat(recorder.ids()).containsExactly(101L, 102L);
					ArvadosEvent event = recorder.events.get(0);
					assertThat(event.eventAt()).isEqualTo(Instant.parse("2024-05-01T12:34:56.789012Z"));
					assertThat(event.objectKind()).isEqualTo("arvados#containerRequest");
					assertThat(event.newAttributes()).containsEntry("output_uuid", "zzzzz-4zz18-000000000000101")
						.containsEntry("priority", 1);
					assertThat(event.oldAttributes()).containsEntry("state", "Committed");
					assertThat(output).contains("PG::TRDeadlockDetected");
					this.api.verify(getRequestedFor(urlPathEqualTo(LOGS))
						.withHeader("Authorization", equalTo("Bearer " + StreamTestSupport.TOKEN))
						.withQueryParam("count", equalTo("none"))
						.withQueryParam("limit", equalTo("1000")));
				});
		}
	}

	private static String page(int... ids) {
		StringBuilder json = new StringBuilder("{\"kind\":\"arvados#logList\",\"etag\":\"\",\"self_link\":\"\","
				+ "\"offset\":0,\"limit\":1000,\"items\":[");
		for (int i = 0; i < ids.length; i++) {
			json.append((i > 0) ? "," : "").append(ITEM.formatted(ids[i]));
		}
		return json.append("]}").toString();
	}

}
