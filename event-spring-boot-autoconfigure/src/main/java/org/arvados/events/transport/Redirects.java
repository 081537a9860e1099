package org.arvados.events.transport;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.web.client.RestClientException;

/**
 * What to say of a redirect from the API. None is followed: the token is in a header the JDK's client would carry
 * to wherever it points, and Arvados' discovery, list and user need none.
 */
final class Redirects {

	private Redirects() {
	}

	/**
	 * @param what the request, e.g. "The logs list of https://…"
	 * @param status the 3xx status
	 * @param location where it points, if it says
	 * @return the failure, naming where it pointed (scheme, host and port only)
	 */
	static RestClientException notFollowed(String what, int status, @Nullable URI location) {
		return new RestClientException(what + " answered HTTP " + status
				+ ((location != null && location.getHost() != null) ? " (a redirect to " + origin(location) + ")" : "")
				+ ", which is not followed; set arvados.events.endpoint to where the API really is");
	}

	private static String origin(URI location) {
		return location.getScheme() + "://" + location.getHost()
				+ ((location.getPort() != -1) ? ":" + location.getPort() : "");
	}

}
