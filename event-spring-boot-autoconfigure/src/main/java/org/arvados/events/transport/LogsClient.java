package org.arvados.events.transport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.arvados.events.ArvadosEvent;
import org.arvados.events.LogSafe;
import org.arvados.events.decode.EventDecoder;
import org.arvados.events.decode.LogPage;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.UnknownHttpStatusCodeException;

/**
 * Reads the cluster's log through the REST list, {@code GET {endpoint}/arvados/v1/logs}, with
 * {@code Authorization: Bearer <token>} and {@code count=none} (the server then skips counting the whole table).
 * Filters go as the server expects them: a JSON array in the {@code filters} parameter; a long one in a form
 * body with {@code _method=GET}, which the API server reads as a GET.
 * <p>
 * 401 and 403 become a {@link TokenRejectedException}; other failures are Spring's
 * {@link org.springframework.web.client.RestClientException}s or a malformed-body exception, all worth a retry.
 * A redirect is a failure, not followed (the token would go along). A body is read up to a size, as WebSocket
 * messages are: a larger one is a {@link ResponseTooLargeException}, not an {@link OutOfMemoryError}.
 */
public final class LogsClient {

	private static final Log logger = LogFactory.getLog(LogsClient.class);

	private static final String LIST = "/arvados/v1/logs";

	/**
	 * Longer filters go in a form body, as googleapiclient (under the Python SDK) does past 2 KB: proxies and
	 * servers reject request lines over 4 to 8 KiB, and a filter on a few hundred UUIDs is longer.
	 */
	private static final int MAX_FILTERS_IN_URL = 1500;

	/**
	 * The largest list response read by default. The API server itself shortens a page whose large columns pass
	 * {@code API.MaxIndexDatabaseRead} (128 MiB by default), so a page of a default cluster stays well under it.
	 */
	public static final long DEFAULT_MAX_RESPONSE_SIZE = 256L * 1024 * 1024;

	/** What a byte array can hold, with a byte to spare to tell a body over the limit. */
	public static final long MAX_RESPONSE_SIZE_CEILING = Integer.MAX_VALUE - 16;

	/** Of an error answer, only this much is read, for the message. */
	private static final int MAX_ERROR_BODY = 4096;

	private final URI endpoint;

	private final String token;

	private final RestClient restClient;

	private final long maxResponseSize;

	private final EventDecoder decoder = new EventDecoder();

	public LogsClient(URI endpoint, String token, RestClient restClient) {
		this(endpoint, token, restClient, DEFAULT_MAX_RESPONSE_SIZE);
	}

	/**
	 * A client that refuses a list response over a size.
	 * @param endpoint the API's base URL
	 * @param token the API token
	 * @param restClient a client that does not follow redirects
	 * @param maxResponseSize the largest response body read, in bytes (at most {@value #MAX_RESPONSE_SIZE_CEILING});
	 * a larger one is a {@link ResponseTooLargeException}
	 */
	public LogsClient(URI endpoint, String token, RestClient restClient, long maxResponseSize) {
		Assert.isTrue(maxResponseSize > 0 && maxResponseSize <= MAX_RESPONSE_SIZE_CEILING,
				"The largest list response must be between 1 byte and " + MAX_RESPONSE_SIZE_CEILING + " bytes");
		this.endpoint = endpoint;
		this.token = token;
		this.restClient = restClient;
		this.maxResponseSize = maxResponseSize;
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
		return firstId(filters, since.truncatedTo(ChronoUnit.SECONDS), "id desc");
	}

	/**
	 * The oldest id among the events matching the filters that were created at or after a time: where a start
	 * from that time begins, as {@code arv-ws --start-time} filters on {@code created_at}.
	 * @param filters the Arvados filters
	 * @param since only events created at or after it (to the microsecond, as the database keeps it)
	 * @return the id, or empty when none matches
	 */
	public OptionalLong oldestIdSince(List<List<Object>> filters, Instant since) {
		return firstId(filters, since.truncatedTo(ChronoUnit.MICROS), "id asc");
	}

	// The id of the first event in that order among those matching the filters and created at or after a time.
	private OptionalLong firstId(List<List<Object>> filters, Instant since, String order) {
		List<List<Object>> query = new ArrayList<>(filters);
		query.add(List.of("created_at", ">=", DateTimeFormatter.ISO_INSTANT.format(since)));
		List<ArvadosEvent> first = this.decoder.decodeList(get(query, order, 1)).events();
		return first.isEmpty() ? OptionalLong.empty() : OptionalLong.of(first.get(0).id());
	}

	private byte[] get(List<List<Object>> filters, String order, int limit) {
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
		return list.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.token)
			.exchangeForRequiredValue((request, response) -> read(response), true);
	}

	private byte[] read(ClientHttpResponse response) throws IOException {
		HttpStatusCode status = response.getStatusCode();
		if (TokenRejectedException.isRejection(status)) {
			throw new TokenRejectedException(this.endpoint, status.value());
		}
		if (status.is3xxRedirection()) {
			throw Redirects.notFollowed("The logs list of " + this.endpoint, status.value(),
					response.getHeaders().getLocation());
		}
		if (!status.is2xxSuccessful()) {
			throw failure(response);
		}
		long length = response.getHeaders().getContentLength();
		if (length > this.maxResponseSize) {
			throw new ResponseTooLargeException(this.endpoint, this.maxResponseSize);
		}
		byte[] body = response.getBody().readNBytes((int) this.maxResponseSize + 1);
		if (body.length > this.maxResponseSize) {
			throw new ResponseTooLargeException(this.endpoint, this.maxResponseSize);
		}
		return body;
	}

	// What Spring's default error handler throws, with only the start of the body read: a proxy's error page can be
	// as large as it likes. The message, which health's lastError and the stream's events carry to whoever may
	// read them, says the status only; the body's start stays on the exception, and in a DEBUG line for the operator
	// (the API's own words, e.g. a database error), on one line and without the token.
	private RestClientResponseException failure(ClientHttpResponse response) throws IOException {
		HttpStatusCode status = response.getStatusCode();
		String statusText = response.getStatusText();
		byte[] start = response.getBody().readNBytes(MAX_ERROR_BODY);
		String message = status.value() + " " + statusText
				+ ((start.length == 0) ? " (no body)" : " (a body of " + start.length + " bytes)");
		if (start.length > 0 && logger.isDebugEnabled()) {
			logger.debug("The logs list of " + this.endpoint + " answered " + message + ": " + LogSafe
				.forLog(new SecretRedactor(this.token).redact(new String(start, StandardCharsets.UTF_8))));
		}

		HttpHeaders headers = response.getHeaders();
		if (status.is4xxClientError()) {
			return HttpClientErrorException.create(message, status, statusText, headers, start, StandardCharsets.UTF_8);
		}
		if (status.is5xxServerError()) {
			return HttpServerErrorException.create(message, status, statusText, headers, start, StandardCharsets.UTF_8);
		}
		return new UnknownHttpStatusCodeException(message, status.value(), statusText, headers, start,
				StandardCharsets.UTF_8);
	}

	// Never print the token.
	@Override
	public String toString() {
		return "LogsClient[" + this.endpoint + "]";
	}

	/**
	 * A list response was larger than the client reads.
	 */
	public static class ResponseTooLargeException extends RestClientException {

		ResponseTooLargeException(URI endpoint, long maxResponseSize) {
			super("The logs list of " + endpoint + " answered more than " + maxResponseSize
					+ " bytes, the most this client reads in one response");
		}

	}

}
