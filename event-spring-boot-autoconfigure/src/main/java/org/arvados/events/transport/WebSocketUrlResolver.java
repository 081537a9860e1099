package org.arvados.events.transport;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.RestClient;

/**
 * Finds the cluster's WebSocket URL: the configured override, or {@code websocketUrl} from the discovery
 * document ({@code GET {endpoint}/discovery/v1/apis/arvados/v1/rest}, no token needed). A discovered URL
 * is kept for the life of the application.
 */
public final class WebSocketUrlResolver {

	private static final String DISCOVERY_PATH = "/discovery/v1/apis/arvados/v1/rest";

	private final URI endpoint;

	private final RestClient restClient;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private volatile @Nullable URI resolved;

	public WebSocketUrlResolver(URI endpoint, @Nullable URI override, RestClient restClient) {
		this.endpoint = endpoint;
		this.resolved = override;
		this.restClient = restClient;
	}

	/**
	 * The WebSocket URL.
	 * @return the URL, without the token
	 * @throws WebSocketNotAdvertisedException if the cluster does not advertise one
	 * @throws org.springframework.web.client.RestClientException if discovery fails
	 */
	public URI resolve() {
		URI url = this.resolved;
		if (url == null) {
			url = discover();
			this.resolved = url;
		}
		return url;
	}

	private URI discover() {
		String body = this.restClient.get().uri(this.endpoint + DISCOVERY_PATH).retrieve().body(String.class);
		JsonNode websocketUrl = (body != null) ? this.mapper.readTree(body).get("websocketUrl") : null;
		if (websocketUrl == null || !websocketUrl.isString() || websocketUrl.asString().isBlank()) {
			throw new WebSocketNotAdvertisedException(this.endpoint);
		}
		return URI.create(websocketUrl.asString());
	}

}
