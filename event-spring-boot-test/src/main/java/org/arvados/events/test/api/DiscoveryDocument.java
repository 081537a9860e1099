package org.arvados.events.test.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The discovery document's top-level fields ({@code schema_controller.rb}), the part clients read
 * to find the WebSocket server and the API's limits; resource and schema descriptions are left out.
 */
final class DiscoveryDocument {

	private DiscoveryDocument() {
	}

	/**
	 * The document for an API at {@code endpoint}; {@code websocketUrl} is {@code ""} when not configured, and
	 * {@code maxItemsPerResponse} the cluster's {@code API.MaxItemsPerResponse}.
	 */
	static Map<String, Object> of(String endpoint, String websocketUrl, int maxItemsPerResponse) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("kind", "discovery#restDescription");
		document.put("id", "arvados:v1");
		document.put("name", "arvados");
		document.put("version", "v1");
		document.put("revision", "20250402");
		document.put("rootUrl", endpoint + "/");
		document.put("baseUrl", endpoint + "/arvados/v1/");
		document.put("basePath", "/arvados/v1/");
		document.put("servicePath", "arvados/v1/");
		document.put("uuidPrefix", "zzzzz");
		document.put("websocketUrl", websocketUrl);
		document.put("maxItemsPerResponse", maxItemsPerResponse);
		return document;
	}

}
