package org.arvados.events.transport;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.arvados.events.ArvadosEvent;
import org.arvados.events.decode.EventDecoder;
import org.arvados.events.decode.LogPage;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * Reads the cluster's log through the REST list, {@code GET {endpoint}/arvados/v1/logs}, with
 * {@code Authorization: Bearer <token>} and {@code count=none} (the server then skips counting the whole table).
 * Filters go as the server expects them: a JSON array in the {@code filters} parameter; a long one in a form
 * body with {@code _method=GET}, which the API server reads as a GET.
 * <p>
 * 401 and 403 become a {@link TokenRejectedException}; other failures are Spring's
 * {@link org.springframework.web.client.RestClientException}s or a malformed-body exception, all worth a retry.
 */
public final class LogsClient {

	private static final String LIST = "/arvados/v1/logs";

	/**
	 * Longer filters go in a form body, as googleapiclient (under the Python SDK) does past 2 KB: proxies and
	 * servers reject request lines over 4 to 8 KiB, and a filter on a few hundred UUIDs is longer.
	 */
	private static final int MAX_FILTERS_IN_URL = 1500;

	private final URI endpoint;

	private final String token;

	private final RestClient restClient;

	private final EventDecoder decoder = new EventDecoder();

	public LogsClient(URI endpoint, String token, RestClient restClient) {
		this.endpoint = endpoint;
		this.token = token;
		this.restClient = restClient;
	}

	/**
	 * The events after an id, oldest id first.
	 * @param filters the Arvados filters, as {@link org.arvados.events.filter.EventFilter#toArvados()} gives them
	 * @param afterId only ids above this one
	 * @param limit most items to return; the server caps it at its own maximum (1000 by default)
	 * @return the page
	 */
	public LogPage after(List<List<Object>> filters, long afterId, int limit) {
		List<List<Object>> query = new ArrayList<>(filters);
		query.add(List.of("id", ">", afterId));
		return this.decoder.decodeList(get(query, "id asc", limit));
	}

	/**
	 * The newest id among the events matching the filters that were created since a time, as the Python SDK asks
	 * before it polls from "now".
	 * @param filters the Arvados filters
	 * @param since only events created at or after it
	 * @return the id, or empty when none matches
	 */
	public OptionalLong newestId(List<List<Object>> filters, Instant since) {
		List<List<Object>> query = new ArrayList<>(filters);
		query.add(List.of("created_at", ">=", DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.SECONDS))));
		List<ArvadosEvent> newest = this.decoder.decodeList(get(query, "id desc", 1)).events();
		return newest.isEmpty() ? OptionalLong.empty() : OptionalLong.of(newest.get(0).id());
	}

	private String get(List<List<Object>> filters, String order, int limit) {
		String json = JsonMapper.shared().writeValueAsString(filters);
		RestClient.RequestHeadersSpec<?> list;
		if (json.length() <= MAX_FILTERS_IN_URL) {
			list = this.restClient.get()
				.uri(this.endpoint + LIST + "?filters={filters}&order={order}&limit={limit}&count=none", json, order,
						limit);
		}
		else {
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
			form.add("_method", "GET");
			form.add("filters", json);
			form.add("order", order);
			form.add("limit", Integer.toString(limit));
			form.add("count", "none");
			list = this.restClient.post()
				.uri(this.endpoint + LIST)
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(form);
		}
		String body = list.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.token)
			.retrieve()
			.onStatus((status) -> status.isSameCodeAs(HttpStatus.UNAUTHORIZED) || status.isSameCodeAs(HttpStatus.FORBIDDEN),
					(request, response) -> {
						throw new TokenRejectedException(this.endpoint, response.getStatusCode().value());
					})
			.body(String.class);
		return (body != null) ? body : "";
	}

	// Never print the token.
	@Override
	public String toString() {
		return "LogsClient[" + this.endpoint + "]";
	}

}
