package org.arvados.events.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Reads the cluster's discovery document ({@code GET {endpoint}/discovery/v1/apis/arvados/v1/rest}, no token
 * needed): it tells an Arvados API server from anything else at that URL, and gives the {@code websocketUrl},
 * unless {@code arvados.events.websocket.url} overrides it. A document that was read is kept for the life of the
 * application.
 * <p>
 * The token travels in the WebSocket URL's query, so a plain {@code ws://} URL under an {@code https://} endpoint
 * is refused (unless TLS checks are off anyway), and a WebSocket on another host than the API is said once.
 */
public final class WebSocketUrlResolver {

	private static final Log logger = LogFactory.getLog(WebSocketUrlResolver.class);

	private static final String DISCOVERY_PATH = "/discovery/v1/apis/arvados/v1/rest";

	private final URI endpoint;

	private final @Nullable URI override;

	private final boolean insecure;

	private final RestClient restClient;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private volatile @Nullable Discovered discovered;

	public WebSocketUrlResolver(URI endpoint, @Nullable URI override, boolean insecure, RestClient restClient) {
		this.endpoint = endpoint;
		this.override = override;
		this.insecure = insecure;
		this.restClient = restClient;
	}

	/**
	 * Read the discovery document, once.
	 * @throws NotAnArvadosApiException if the endpoint has none, or it is not JSON
	 * @throws RestClientException if it cannot be read now (connection refused, 5xx, timeout)
	 */
	public void discover() {
		if (this.discovered == null) {
			this.discovered = new Discovered(fetchWebSocketUrl());
		}
	}

	/**
	 * The WebSocket URL.
	 * @return the URL, without the token
	 * @throws WebSocketNotAdvertisedException if the cluster does not advertise a usable one
	 * @throws NotAnArvadosApiException if the endpoint is not an Arvados API server
	 * @throws RestClientException if discovery cannot be read now
	 */
	public URI resolve() {
		URI url = this.override;
		if (url == null) {
			discover();
			String advertised = Objects.requireNonNull(this.discovered).websocketUrl();
			if (advertised == null) {
				throw new WebSocketNotAdvertisedException(this.endpoint);
			}
			url = URI.create(advertised);
		}
		checkSafe(url);
		return url;
	}

	private void checkSafe(URI url) {
		if ("https".equalsIgnoreCase(this.endpoint.getScheme()) && "ws".equalsIgnoreCase(url.getScheme())
				&& !this.insecure) {
			throw new WebSocketNotAdvertisedException("The WebSocket URL " + url + " of " + this.endpoint
					+ " is plain ws:// under an https:// API, and the token would travel unencrypted in it; set "
					+ "arvados.events.websocket.url to a wss:// URL (or insecure=true for a test cluster)");
		}
		if (!Cleartext.allowed(url, this.insecure)) {
			throw new WebSocketNotAdvertisedException("The WebSocket URL " + url + " of " + this.endpoint
					+ " is plain ws:// to another host than loopback, and the token would travel unencrypted in it; set "
					+ "arvados.events.websocket.url to a wss:// URL (or insecure=true for a test cluster)");
		}
	}

	private @Nullable String fetchWebSocketUrl() {
		String body = this.restClient.get().uri(this.endpoint + DISCOVERY_PATH).exchange((request, response) -> {
			MediaType type = response.getHeaders().getContentType();
			String answer = "answered HTTP " + response.getStatusCode().value() + " ("
					+ ((type != null) ? type.getType() + "/" + type.getSubtype() : "no content type") + ")";
			if (response.getStatusCode().is5xxServerError()) {
				throw new RestClientException("The discovery document of " + this.endpoint + " " + answer);
			}
			if (!response.getStatusCode().is2xxSuccessful() || type == null
					|| !type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
				throw new NotAnArvadosApiException(this.endpoint, answer);
			}
			return new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}, true);
		JsonNode document;
		try {
			document = this.mapper.readTree((body != null) ? body : "");
		}
		catch (JacksonException ex) {
			throw new NotAnArvadosApiException(this.endpoint, "is not JSON");
		}
		if (document == null || !document.isObject()) {
			throw new NotAnArvadosApiException(this.endpoint, "is not a JSON object");
		}
		JsonNode websocketUrl = document.get("websocketUrl");
		if (websocketUrl == null || !websocketUrl.isString() || websocketUrl.asString().isBlank()) {
			return null;
		}
		String url = websocketUrl.asString();
		URI uri = parseWebSocketUrl(url);
		if (uri == null) {
			// A broken document does not stop the events: the list serves them.
			logger.warn("The discovery document of " + this.endpoint + " advertises a websocketUrl that is not a ws:// "
					+ "or wss:// URL, so none is used; set arvados.events.websocket.url to the event server's URL");
			return null;
		}
		if (!uri.getHost().equalsIgnoreCase(this.endpoint.getHost())) {
			logger.info("The event server of " + this.endpoint + " is on another host: " + uri.getHost()
					+ " (the token goes there too)");
		}
		return url;
	}

	private static @Nullable URI parseWebSocketUrl(String url) {
		try {
			URI uri = new URI(url);
			String scheme = String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT);
			return (uri.getHost() != null && (scheme.equals("ws") || scheme.equals("wss"))) ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	// Once read, for the life of the application: null when the cluster advertises no WebSocket.
	private record Discovered(@Nullable String websocketUrl) {
	}

}
