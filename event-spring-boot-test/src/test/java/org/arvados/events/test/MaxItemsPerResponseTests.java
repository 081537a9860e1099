package org.arvados.events.test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code API.MaxItemsPerResponse}: the list caps {@code limit} at it and says so in the envelope, as
 * {@code load_param.rb} does; discovery advertises it.
 */
class MaxItemsPerResponseTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aLimitAboveTheCapIsLoweredAndTheEnvelopeSaysSo() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.builder().maxItemsPerResponse(3).start()) {
			for (int i = 0; i < 5; i++) {
				cluster.emit("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
			}
			JsonNode page = get(cluster, "/arvados/v1/logs?limit=10&order=id%20asc&filters="
					+ URLEncoder.encode("[[\"id\",\">\",0]]", StandardCharsets.UTF_8));
			assertThat(page.get("limit").asInt()).isEqualTo(3);
			assertThat(page.get("items")).hasSize(3);
			JsonNode small = get(cluster, "/arvados/v1/logs?limit=2");
			assertThat(small.get("limit").asInt()).isEqualTo(2);
			assertThat(small.get("items")).hasSize(2);
			assertThat(get(cluster, "/discovery/v1/apis/arvados/v1/rest").get("maxItemsPerResponse").asInt())
				.isEqualTo(3);
		}
	}

	@Test
	void theDefaultIsArvadosDefault() throws Exception {
		try (FakeArvadosCluster cluster = FakeArvadosCluster.start()) {
			assertThat(get(cluster, "/arvados/v1/logs?limit=5000").get("limit").asInt()).isEqualTo(1000);
		}
	}

	@Test
	void aCapBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> FakeArvadosCluster.builder().maxItemsPerResponse(0))
			.withMessageContaining("maxItemsPerResponse");
	}

	private JsonNode get(FakeArvadosCluster cluster, String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + path))
			.header("Authorization", "Bearer " + cluster.token())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body());
	}

}
