package org.arvados.events.transport;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

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
	 * Whether an answer of the API means the token is rejected.
	 * @param status the HTTP status
	 * @return whether it is 401 or 403
	 */
	public static boolean isRejection(HttpStatusCode status) {
		return status.isSameCodeAs(HttpStatus.UNAUTHORIZED) || status.isSameCodeAs(HttpStatus.FORBIDDEN);
	}

	/**
	 * The HTTP status, 401 or 403.
	 */
	public int getStatus() {
		return this.status;
	}

}
