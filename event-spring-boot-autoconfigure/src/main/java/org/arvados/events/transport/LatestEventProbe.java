package org.arvados.events.transport;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

/**
 * Asks the API for the newest log id the token can see, among logs created in a recent window:
 * {@code GET {endpoint}/arvados/v1/logs?order=id desc&limit=1&count=none} with a {@code created_at} filter, as
 * the Python SDK's poll client does before it starts. A subscription that starts "from now" resumes after that
 * id, so even a connection that drops before its first event loses nothing.
 */
public final class LatestEventProbe {

	private final URI endpoint;

	private final String token;

	private final RestClient restClient;

	private final Duration window;

	private final Clock clock;

	public LatestEventProbe(URI endpoint, String token, RestClient restClient, Duration window, Clock clock) {
		this.endpoint = endpoint;
		this.token = token;
		this.restClient = restClient;
		this.window = window;
		this.clock = clock;
	}

	/**
	 * The newest visible log id.
	 * @return the id, or empty when no log was created within the window
	 * @throws org.springframework.web.client.RestClientException if the API cannot be asked
	 */
	public OptionalLong newestId() {
		String since = DateTimeFormatter.ISO_INSTANT
			.format(this.clock.instant().minus(this.window).truncatedTo(ChronoUnit.SECONDS));
		String filters = JsonMapper.shared().writeValueAsString(List.of(List.of("created_at", ">=", since)));
		String body = this.restClient.get()
			.uri(this.endpoint + "/arvados/v1/logs?order={order}&limit=1&count=none&select={select}&filters={filters}",
					"id desc", "[\"id\"]", filters)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.token)
			.retrieve()
			.body(String.class);
		JsonNode items = (body != null) ? JsonMapper.shared().readTree(body).get("items") : null;
		if (items == null || !items.isArray()) {
			throw new IllegalStateException("The logs list of " + this.endpoint + " has no items");
		}
		JsonNode id = items.isEmpty() ? null : items.get(0).get("id");
		return (id != null && id.canConvertToLong()) ? OptionalLong.of(id.longValue()) : OptionalLong.empty();
	}

	// Never print the token.
	@Override
	public String toString() {
		return "LatestEventProbe[" + this.endpoint + "]";
	}

}
