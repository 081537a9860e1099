package org.arvados.events.transport;

import java.net.URI;

/**
 * The API answered 401 or 403: the token is wrong, expired or revoked. Retrying at once cannot help. The message
 * names the cluster and the status, never the token.
 */
public class TokenRejectedException extends RuntimeException {

	private final int status;

	public TokenRejectedException(URI endpoint, int status) {
		super("The cluster at " + endpoint + " rejected the API token (HTTP " + status
				+ "); check arvados.events.token or ARVADOS_API_TOKEN");
		this.status = status;
	}

	/**
	 * The HTTP status, 401 or 403.
	 */
	public int getStatus() {
		return this.status;
	}

}
