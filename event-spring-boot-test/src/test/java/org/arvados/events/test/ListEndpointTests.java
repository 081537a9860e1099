package org.arvados.events.test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server side: discovery, authentication and the logs list with the semantics the poll
 * fallback relies on.
 */
class ListEndpointTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@RegisterExtension
	final FakeArvadosClusterExtension arvados = new FakeArvadosClusterExtension();

	private final List<LogEntry> rows = new ArrayList<>();

	private FakeArvadosCluster cluster;

	@BeforeEach
	void emitRows(FakeArvadosCluster cluster) {
		this.cluster = cluster;
		String collection = FakeArvadosCluster.uuid("4zz18");
		this.rows.add(this.cluster.emit("create", collection, Map.of("new_attributes", Map.of("name", "a",
				"manifest_text", ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:a\n"))));
		this.rows.add(this.cluster.emit("update", collection, Map.of()));
		this.rows.add(this.cluster.emit("update", FakeArvadosCluster.uuid("xvhdp"), Map.of()));
		this.rows.add(this.cluster.emit("delete", collection, "zzzzz-j7d0g-000000000000000", Map.of()));
		this.rows.add(this.cluster.emit("stderr", FakeArvadosCluster.uuid("dz642"), Map.of("text", "x")));
	}

	@Test
	void discoveryAdvertisesTheWebSocketWithoutAuthentication() throws Exception {
		HttpResponse<String> response = get("/discovery/v1/apis/arvados/v1/rest", null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode document = json.readTree(response.body());
		assertThat(document.get("kind").asString()).isEqualTo("discovery#restDescription");
		assertThat(document.get("websocketUrl").asString()).isEqualTo(this.cluster.websocketUrl())
			.startsWith("ws://127.0.0.1:").endsWith("/websocket");
		assertThat(document.get("rootUrl").asString()).isEqualTo(this.cluster.endpoint() + "/");
		assertThat(document.get("baseUrl").asString()).isEqualTo(this.cluster.endpoint() + "/arvados/v1/");
		assertThat(document.get("uuidPrefix").asString()).isEqualTo("zzzzz");
		assertThat(document.get("maxItemsPerResponse").asInt()).isEqualTo(1000);
		try (FakeArvadosCluster hidden = FakeArvadosCluster.builder().advertiseWebsocket(false).start()) {
			HttpResponse<String> other = send(HttpRequest.newBuilder(
					URI.create(hidden.endpoint() + "/discovery/v1/apis/arvados/v1/rest")).build());
			assertThat(json.readTree(other.body()).get("websocketUrl").asString()).isEmpty();
		}
	}

	@Test
	void listNeedsTheTokenInAHeaderOrParameter() throws Exception {
		assertThat(get("/arvados/v1/logs", null).statusCode()).isEqualTo(401);
		assertThat(get("/arvados/v1/logs", "Bearer wrong").statusCode()).isEqualTo(401);
		assertThat(get("/arvados/v1/logs", "Bearer " + this.cluster.token()).statusCode()).isEqualTo(200);
		assertThat(get("/arvados/v1/logs", "OAuth2 " + this.cluster.token()).statusCode()).isEqualTo(200);
		assertThat(get("/arvados/v1/logs?api_token=" + this.cluster.token(), null).statusCode()).isEqualTo(200);
		this.cluster.revokeToken();
		HttpResponse<String> revoked = list("");
		assertThat(revoked.statusCode()).isEqualTo(401);
		JsonNode body = json.readTree(revoked.body());
		assertThat(body.get("errors").get(0).asString()).matches("Not logged in \\(req-[a-z0-9]{20}\\)");
		assertThat(body.get("error_token").asString()).matches("\\d+\\+[0-9a-f]{8}");
	}

	@Test
	void listReturnsTheRailsEnvelopeWithFullItems() throws Exception {
		HttpResponse<String> response = list("");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
		JsonNode body = json.readTree(response.body());
		assertThat(body.propertyNames()).containsExactly("kind", "etag", "self_link", "offset", "limit", "items",
				"items_available");
		assertThat(body.get("kind").asString()).isEqualTo("arvados#logList");
		assertThat(body.get("limit").asInt()).isEqualTo(100);
		assertThat(body.get("items_available").asInt()).isEqualTo(5);
		JsonNode first = body.get("items").get(0);
		assertThat(first.propertyNames()).containsExactly("kind", "etag", "uuid", "owner_uuid", "created_at",
				"modified_by_user_uuid", "modified_at", "id", "object_uuid", "object_owner_uuid", "object_kind",
				"event_at", "event_type", "summary", "properties");
		LogEntry row = this.rows.get(0);
		assertThat(first.get("id").asLong()).isEqualTo(row.id());
		assertThat(first.get("uuid").asString()).isEqualTo(row.uuid());
		assertThat(first.get("object_kind").asString()).isEqualTo("arvados#collection");
		assertThat(first.get("summary").asString()).isEqualTo("create of " + row.objectUuid());
		assertThat(first.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
		assertThat(first.get("event_at").asString()).matches(".*\\.\\d{6}000Z");
		assertThat(first.at("/properties/new_attributes/manifest_text").asString()).startsWith(". d41d8");
	}

	@Test
	void filtersOrderLimitAndCountWork() throws Exception {
		long second = this.rows.get(1).id();
		assertThat(ids(list("filters=" + encode("[[\"id\",\">\",\"" + second + "\"]]")))).containsExactly(
				this.rows.get(2).id(), this.rows.get(3).id(), this.rows.get(4).id());
		assertThat(ids(list("order=id+desc&limit=1"))).containsExactly(this.rows.get(4).id());
		assertThat(ids(list("order=" + encode("[\"id desc\"]") + "&limit=2"))).containsExactly(this.rows.get(4).id(),
				this.rows.get(3).id());
		assertThat(json.readTree(list("count=none").body()).has("items_available")).isFalse();
		assertThat(ids(list("filters=" + encode("[[\"object_uuid\",\"is_a\",\"arvados#collection\"]]"))))
			.containsExactly(this.rows.get(0).id(), this.rows.get(1).id(), this.rows.get(3).id());
		assertThat(ids(list("filters=" + encode("[[\"object_kind\",\"=\",\"arvados#containerRequest\"]]"))))
			.containsExactly(this.rows.get(2).id());
		assertThat(ids(list("filters=" + encode("[[\"event_type\",\"in\",[\"create\",\"delete\"]],"
				+ "[\"object_owner_uuid\",\"like\",\"zzzzz-j7d0g-%\"]]")))).containsExactly(this.rows.get(3).id());
		assertThat(ids(list("filters=" + encode("[[\"event_type\",\"not in\",[\"update\"]],[\"id\",\"<=\","
				+ this.rows.get(3).id() + "]]")))).containsExactly(this.rows.get(0).id(), this.rows.get(3).id());
		assertThat(ids(list("filters=" + encode("[[\"created_at\",\">=\",\"2000-01-01T00:00:00Z\"]]")))).hasSize(5);
	}

	@Test
	void rowsCreatedInThePastAreFoundByCreatedAtAsArvWsStartTimeAsksForThem() throws Exception {
		Instant now = Instant.now();
		LogEntry old = this.cluster.emitAt(now.minus(Duration.ofHours(3)), "update", FakeArvadosCluster.uuid("4zz18"),
				Map.of());
		LogEntry recent = this.cluster.emitAt(now.minus(Duration.ofMinutes(30)), "update",
				FakeArvadosCluster.uuid("4zz18"), Map.of());
		String since = DateTimeFormatter.ISO_INSTANT.format(now.minus(Duration.ofHours(1)));
		List<Long> sinceAnHourAgo = ids(list("order=id+asc&filters=" + encode("[[\"created_at\",\">=\",\"" + since + "\"]]")));
		assertThat(sinceAnHourAgo).contains(recent.id()).doesNotContain(old.id());
		assertThat(ids(list("order=id+asc&limit=1&filters=" + encode("[[\"created_at\",\">=\",\"" + since + "\"]]"))))
			.as("the first row created since then, as a start from a time asks").containsExactly(this.rows.get(0).id());
		assertThat(ids(list("filters=" + encode("[[\"created_at\",\"<\",\"" + since + "\"]]")))).containsExactly(old.id());
	}

	@Test
	void pagesFollowTheIdCursorLikeThePollClient() throws Exception {
		List<Long> seen = new ArrayList<>();
		long last = 0;
		for (int page = 0; page < 5; page++) {
			JsonNode body = json.readTree(list("limit=2&order=id+asc&filters="
					+ encode("[[\"id\",\">\",\"" + last + "\"]]")).body());
			body.get("items").forEach((item) -> seen.add(item.get("id").asLong()));
			last = seen.get(seen.size() - 1);
			if (body.get("items_available").asInt() <= body.get("items").size()) {
				break;
			}
		}
		assertThat(seen).containsExactlyElementsOf(this.rows.stream().map(LogEntry::id).toList());
		assertThat(ids(list("limit=2&offset=4"))).containsExactly(this.rows.get(4).id());
	}

	@Test
	void badParametersAreUnprocessable() throws Exception {
		assertThat(list("filters=" + encode("[[\"id\",\">\"")).statusCode()).isEqualTo(422);
		assertThat(list("filters=" + encode("[[\"nope\",\"=\",\"x\"]]")).statusCode()).isEqualTo(422);
		assertThat(list("filters=" + encode("[[\"id\",\"~\",\"1\"]]")).statusCode()).isEqualTo(422);
		assertThat(list("limit=abc").statusCode()).isEqualTo(422);
		assertThat(list("count=maybe").statusCode()).isEqualTo(422);
		assertThat(ids(list("limit=5000"))).hasSize(5);
		assertThat(json.readTree(list("limit=5000").body()).get("limit").asInt()).isEqualTo(1000);
	}

	@Test
	void injectedFailuresComeFirstThenTheListWorksAgain() throws Exception {
		this.cluster.failListRequests(2, 500);
		HttpResponse<String> failed = list("");
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(json.readTree(failed.body()).get("errors").get(0).asString()).startsWith("Internal Server Error");
		assertThat(list("").statusCode()).isEqualTo(500);
		assertThat(list("").statusCode()).isEqualTo(200);
		this.cluster.failListRequests(1, 503);
		assertThat(list("").statusCode()).isEqualTo(503);
	}

	@Test
	void uncommittedRowsAreInvisibleAndUnknownPathsAre404() throws Exception {
		Transaction open = this.cluster.begin("update", FakeArvadosCluster.uuid("4zz18"), Map.of());
		assertThat(ids(list(""))).doesNotContain(open.id()).hasSize(5);
		open.commit();
		assertThat(ids(list(""))).endsWith(open.id());
		HttpResponse<String> missing = get("/arvados/v1/nothing", "Bearer " + this.cluster.token());
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.body()).contains("Path not found");
	}

	private HttpResponse<String> list(String query) throws IOException, InterruptedException {
		return get("/arvados/v1/logs" + (query.isEmpty() ? "" : "?" + query), "Bearer " + this.cluster.token());
	}

	private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.cluster.endpoint() + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.build());
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static List<Long> ids(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Long> ids = new ArrayList<>();
		json.readTree(response.body()).get("items").forEach((item) -> ids.add(item.get("id").asLong()));
		return ids;
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
