package org.arvados.events.autoconfigure;

import java.net.URI;

/**
 * Thrown at start-up when the endpoint is plain {@code http://} to another host than loopback, and
 * {@code arvados.events.insecure} is not set: the token would cross the network in clear text.
 */
public class CleartextEndpointException extends IllegalStateException {

	private final URI endpoint;

	public CleartextEndpointException(URI endpoint) {
		super("The Arvados endpoint " + endpoint + " is plain http://, so the API token would travel unencrypted");
		this.endpoint = endpoint;
	}

	public URI getEndpoint() {
		return this.endpoint;
	}

}
