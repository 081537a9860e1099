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
		return new RestClientException(describe(what, status, location, "arvados.events.endpoint to where the API really is"));
	}

	/**
	 * @param what the request
	 * @param status the 3xx status, or -1 when unknown
	 * @param location where it points, if it says
	 * @param advice what to set, e.g. "arvados.events.endpoint to where the API really is"
	 * @return e.g. "… answered HTTP 301 (a redirect to http://host:81), which is not followed; set …"
	 */
	static String describe(String what, int status, @Nullable URI location, String advice) {
		String where = (location != null && location.getHost() != null) ? origin(location) : null;
		String answer = (status > 0) ? "answered HTTP " + status + ((where != null) ? " (a redirect to " + where + ")" : "")
				: "answered with a redirect" + ((where != null) ? " to " + where : "");
		return what + " " + answer + ", which is not followed; set " + advice;
	}

	/**
	 * @param location a Location header's value
	 * @return it as a URI, or {@code null} when it is none
	 */
	static @Nullable URI parse(@Nullable String location) {
		if (location == null) {
			return null;
		}
		try {
			return new URI(location.trim());
		}
		catch (java.net.URISyntaxException ex) {
			return null;
		}
	}

	private static String origin(URI location) {
		return location.getScheme() + "://" + location.getHost()
				+ ((location.getPort() != -1) ? ":" + location.getPort() : "");
	}

}
