package org.arvados.events.sample;

import java.time.Duration;
import java.util.List;

import org.arvados.events.test.FakeArvadosCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator reads from the sample over HTTP while events flow and while the cluster is down.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ARVADOS_API_HOST=", "arvados.events.health.down-after=1s",
				"arvados.events.reconnect.max-interval=500ms", "ARVADOS_API_TOKEN=" + ActuatorTests.VARIABLE_TOKEN,
				"management.endpoints.web.exposure.include=health,metrics,configprops,env",
				"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always" })
class ActuatorTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	static final String VARIABLE_TOKEN = "v2/zzzzz-gj3su-0v4r14bl3t0k3n/Fr0m-Th3-3nv1r0nm3nt";

	@LocalServerPort
	int port;

	@Autowired
	FakeArvadosCluster cluster;

	private RestClient http;

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	@Test
	void healthAndMetricsShowTheStreamFlowingThenDown() {
		await().atMost(WAIT).until(() -> events().path("details").has("lastEventId"));
		JsonNode up = events();
		assertThat(up.path("status").asString()).isEqualTo("UP");
		assertThat(up.path("details").path("mode").asString()).isEqualTo("websocket");
		assertThat(up.path("details").path("endpoint").asString()).isEqualTo("127.0.0.1");
		await().atMost(WAIT).until(() -> count("arvados.events.handled") > 0);
		assertThat(count("arvados.events.received")).isPositive();
		assertThat(count("arvados.events.handler")).isPositive();
		assertThat(value("arvados.events.connected")).isEqualTo(1.0);
		assertThat(get("/actuator/metrics/arvados.events.handled").path("availableTags").findValuesAsString("tag"))
			.contains("event.type", "handler");

		this.cluster.setRefuseConnections(true);
		this.cluster.failListRequests(Integer.MAX_VALUE, 503);
		this.cluster.dropConnections();
		await().atMost(WAIT).until(() -> events().path("status").asString().equals("DOWN"));
		JsonNode down = get("/actuator/health");
		assertThat(down.path("status").asString()).isEqualTo("DOWN");
		JsonNode details = down.path("components").path("arvadosEvents").path("details");
		assertThat(details.path("connected").asBoolean()).isFalse();
		assertThat(details.path("lastError").asString()).isNotEmpty();
		assertThat(value("arvados.events.connected")).isZero();
		assertThat(down.toString()).doesNotContain(this.cluster.token());

		this.cluster.failListRequests(0, 503);
		this.cluster.setRefuseConnections(false);
		await().atMost(WAIT).until(() -> events().path("status").asString().equals("UP"));
	}

	@Test
	void configpropsAndEnvNeverShowTheTokenEvenWithShowValuesAlways() {
		String configprops = get("/actuator/configprops").toString();
		assertThat(configprops).contains("arvados.events").contains("\"token\":\"******\"")
			.doesNotContain(this.cluster.token());
		String env = get("/actuator/env").toString();
		assertThat(env).contains("arvados.events.token").contains("ARVADOS_API_TOKEN")
			.doesNotContain(this.cluster.token())
			.doesNotContain(VARIABLE_TOKEN);
		// Show-values is really on: other values are shown.
		assertThat(env).contains("\"arvados.events.health.down-after\":{\"value\":\"1s\"");
	}

	private JsonNode events() {
		return get("/actuator/health").path("components").path("arvadosEvents");
	}

	private double count(String metric) {
		return measurement(metric, List.of("COUNT", "TOTAL"));
	}

	private double value(String metric) {
		return measurement(metric, List.of("VALUE"));
	}

	private double measurement(String metric, List<String> statistics) {
		for (JsonNode measurement : get("/actuator/metrics/" + metric).path("measurements")) {
			if (statistics.contains(measurement.path("statistic").asString())) {
				return measurement.path("value").asDouble();
			}
		}
		return Double.NaN;
	}

	private JsonNode get(String path) {
		String body = this.http.get().uri(path).retrieve().body(String.class);
		return JsonMapper.shared().readTree((body != null) ? body : "{}");
	}

}
